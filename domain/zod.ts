// zod, extended so every schema can name itself in the OpenAPI document. zod 4 gives each
// schema its methods when it is built, so the extension must load before the first schema:
// every domain schema imports z from here.
export { z } from '@hono/zod-openapi';
