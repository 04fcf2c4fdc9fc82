// How one kind of AgentGym-style environment server speaks HTTP. The servers share a shape —
// create an environment, reset it to a task, step it with an action, maybe close it — but differ
// in small ways: the name of the id field, the reset reply, how errors come back, whether close
// exists. A profile names those differences; profiles for ALFWorld, WebShop and ScienceWorld follow
// AgentGym's published servers (agentenv-alfworld, agentenv-webshop, agentenv-sciworld), and any
// other server is described by a profile file of the same shape. Pure zod: the API contract uses it.
import { z } from 'zod'

const Field = z.string().min(1).max(100)
const Path = z.string().regex(/^\/[\w./-]*$/, 'must be a path starting with "/"').max(200)

export const RemoteProfile = z
  .object({
    name: z.string().min(1).max(64),
    label: z.string().min(1).max(200),
    /** The field that carries the environment id in request bodies and query strings. */
    idField: Field,
    create: z
      .object({
        path: Path.default('/create'),
        /** Constant fields sent with create. */
        body: z.record(z.string(), z.unknown()).default({}),
        /** Where the new id is in the reply; null when the reply is the bare id (WebShop). */
        idFrom: Field.nullable(),
      })
      .strict(),
    reset: z
      .object({
        path: Path.default('/reset'),
        /** The field that names the task (a data index). */
        taskField: Field,
        /** Constant fields sent with reset (ALFWorld's world_type). */
        body: z.record(z.string(), z.unknown()).default({}),
        /**
         * Where the first observation comes from: fields of the reset reply joined by newlines
         * (ScienceWorld: task description, then the room), or a GET after reset (WebShop, whose
         * reset reply is a bare pair).
         */
        observation: z.union([z.object({ fields: z.array(Field).min(1) }).strict(), z.object({ get: Path }).strict()]),
        availableActionsField: Field.optional(),
      })
      .strict(),
    step: z
      .object({
        path: Path.default('/step'),
        actionField: Field.default('action'),
        observationField: Field,
        rewardField: Field.default('reward'),
        doneField: Field.default('done'),
        availableActionsField: Field.optional(),
      })
      .strict(),
    /** An episode is solved when this numeric field of a step reply reaches the threshold. */
    success: z.object({ field: Field, atLeast: z.number() }).strict(),
    /** Besides an HTTP error status, a failed call may answer 200 with this field set (null: it never does). */
    errorField: Field.nullable(),
    /** null: the server has no close endpoint; its environments live until it restarts. */
    close: z.object({ path: Path }).strict().nullable(),
    /** A step observation matching this (case-insensitive) means the action was not possible. */
    invalidPattern: z.string().max(300).optional(),
    /** The system message for served models: the world, the action syntax, the reply format. */
    system: z.string().min(1).max(8000),
    /** Added to the default LLM reflection template for this environment. */
    reflectionGuidance: z.string().max(4000).optional(),
  })
  .strict()
export type RemoteProfile = z.output<typeof RemoteProfile>
export type RemoteProfileInput = z.input<typeof RemoteProfile>

const REPLY_FORMAT = 'Think briefly if you need to, then end your reply with one line of the form "Action: <the action>".'

/** agentenv-alfworld: {id} from create; reset {id, game, world_type}; errors as {"error": …} in a 200 reply; no close. */
const alfworld: RemoteProfileInput = {
  name: 'alfworld',
  label: 'ALFWorld (AgentGym server)',
  idField: 'id',
  create: { idFrom: 'id' },
  reset: { taskField: 'game', body: { world_type: 'Text' }, observation: { fields: ['observation'] }, availableActionsField: 'available_actions' },
  step: { observationField: 'observation', availableActionsField: 'available_actions' },
  success: { field: 'reward', atLeast: 1 },
  errorField: 'error',
  close: null,
  invalidPattern: '^nothing happens\\.?$',
  system: `You are an agent in a household, solving a task in ALFWorld. The first observation describes the room and ends with your task. Each turn choose one of the available actions, e.g. "go to fridge 1", "open fridge 1", "take apple 1 from fridge 1", "put apple 1 in/on countertop 1", "heat apple 1 with microwave 1", "use desklamp 1". "Nothing happens." means the action was not possible. ${REPLY_FORMAT}`,
  reflectionGuidance:
    'In this household world, blame the first step that went to a place or took an object the task does not need, or that skipped a required step (opening a closed receptacle, heating, cooling or cleaning the object). "Nothing happens." marks an impossible action.',
}

// Each built-in profile follows the server's routes in WooooDyy/AgentGym (checked at 3ef9235):
// agentenv-sciworld/agentenv_sciworld/server.py defines POST /close {id}; the alfworld and
// webshop servers (agentenv-*/agentenv_*/server.py) define none, so calling it there is a 404.

/** agentenv-webshop: create answers the bare id; reset {env_idx, session_id} answers a pair, so the observation is fetched; errors are HTTP 500; no close. */
const webshop: RemoteProfileInput = {
  name: 'webshop',
  label: 'WebShop (AgentGym server)',
  idField: 'env_idx',
  create: { idFrom: null },
  reset: { taskField: 'session_id', observation: { get: '/observation' } },
  step: { observationField: 'state' },
  success: { field: 'reward', atLeast: 1 },
  errorField: null,
  close: null,
  system: `You are shopping on a web store (WebShop) for the item the instruction describes. Actions are search[keywords] while the page has a search bar, and click[value] for a button or option shown on the page, e.g. click[Buy Now]. ${REPLY_FORMAT}`,
  reflectionGuidance:
    'In this shop, blame the search whose keywords left out attributes the instruction requires, or the click that chose a product or an option (size, colour, price) the instruction does not ask for; buying ends the episode.',
}

/** agentenv-sciworld: {id} from create; reset {id, data_idx} answers task_description and observation; score 100 = solved; errors as {"error": …}; POST /close {id}. */
const sciworld: RemoteProfileInput = {
  name: 'sciworld',
  label: 'ScienceWorld (AgentGym server)',
  idField: 'id',
  create: { idFrom: 'id' },
  reset: { taskField: 'data_idx', observation: { fields: ['task_description', 'observation'] } },
  step: { observationField: 'observation' },
  success: { field: 'score', atLeast: 100 },
  errorField: 'error',
  close: { path: '/close' },
  invalidPattern: '^no known action matches that input\\.?$',
  system: `You are an agent in ScienceWorld, a text world for science experiments. Actions include: look around, look at OBJ, look in OBJ, open OBJ, close OBJ, pick up OBJ, put down OBJ, move OBJ to OBJ, pour OBJ into OBJ, mix OBJ, activate OBJ, deactivate OBJ, use OBJ on OBJ, connect OBJ to OBJ, go to LOC, focus on OBJ (only on the object the task names: a wrong focus ends the task), wait, wait1, inventory, task. ${REPLY_FORMAT}`,
  reflectionGuidance: 'In ScienceWorld, focusing on the wrong object ends the task at once: blame that step. Otherwise blame the first action that skipped or misordered a step of the procedure the task asks for.',
}

export const builtinProfiles: Record<string, RemoteProfile> = Object.fromEntries(
  [alfworld, webshop, sciworld].map((p) => [p.name, RemoteProfile.parse(p)]),
)
