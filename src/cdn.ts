// Entry of the self-contained CDN files: everything bundled, and the tag registered.
export * from './define.js';
