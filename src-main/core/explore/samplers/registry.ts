// The samplers by the name a run's config gives.
import type { ExploreConfig } from '../../../shared/jobs/explore.ts'
import { irSampler } from './ir.ts'
import { isSampler } from './is.ts'
import { leafeSampler } from './leafe.ts'
import type { Sampler } from './sampler.ts'

export const samplers: Record<ExploreConfig['sampler'], Sampler> = { leafe: leafeSampler, is: isSampler, ir: irSampler }
