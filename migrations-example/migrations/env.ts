import { defineEnv } from 'migrator'
import { metadata } from '../models.js'

// The models (../models.ts) are what autogenerate compares the database with.
export default defineEnv({
  targetMetadata: metadata,
})
