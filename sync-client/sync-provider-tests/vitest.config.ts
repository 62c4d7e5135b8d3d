// As upstream's tests/sync-provider/vitest.config.ts at v0.4.0: 60 s per test, @effect/vitest inlined.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: { testTimeout: 60000, include: ['src/**/*.test.ts'], server: { deps: { inline: ['@effect/vitest'] } } },
})
