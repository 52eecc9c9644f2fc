/** The app version, injected at build time by electron-vite and read from package.json otherwise. */
import pkg from '../../package.json' with { type: 'json' }

export const APP_VERSION: string = pkg.version
