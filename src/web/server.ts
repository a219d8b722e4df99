// The service's entry point: `node src/web/server.ts`. Module loading is sped up first (see module-loading.ts),
// then the service itself is loaded and started (serve.ts): imported only now, so its modules load through it.
import { speedUpModuleLoading } from './module-loading.ts';

speedUpModuleLoading();
await import('./serve.ts');
