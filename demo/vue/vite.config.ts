// The Vue example: `npm run build:examples` (or `vite build demo/vue`) builds it into demo/vue/dist.
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    vue({
      // <convert-uploader> is a custom element, not a Vue component: Vue renders it as it is.
      template: { compilerOptions: { isCustomElement: (tag) => tag === 'convert-uploader' } },
    }),
  ],
  build: { target: 'es2022', emptyOutDir: true },
});
