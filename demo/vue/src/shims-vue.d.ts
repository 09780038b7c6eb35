// For tools that read TypeScript without Vue's language service (ESLint's type information): vue-tsc
// reads the .vue files themselves.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
