// The React example: `npm run build:examples` (or `vite build demo/react`) builds it into demo/react/dist.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: { target: 'es2022', emptyOutDir: true },
});
