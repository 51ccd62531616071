/**
 * Validation without generated code, on both sides. zod compiles each object schema's parser
 * with `new Function` unless told otherwise, and decides (probing `new Function` once) when the
 * schema is built, that is when a module defining schemas is loaded. The client's
 * Content-Security-Policy (script-src 'self', no 'unsafe-eval') forbids that code, and Chromium
 * reports even the caught probe as a violation. So this module is imported by api.ts before it
 * defines a schema. The server gives up nothing it would notice: zod parses REST bodies only,
 * never on the websocket's path.
 */
import { z } from 'zod'

z.config({ jitless: true })
