import { defineEnv } from 'migrator'

// The example has no models yet: revisions are written by hand.
export default defineEnv({})
