import { describe, expect, it } from 'vitest'
import { sokoban } from '../../../../src-main/core/envs/sokoban/environment.ts'
import { compactGrid, sokobanRenderer as r } from '../../../../src-main/core/envs/sokoban/renderer.ts'
import type { Context } from '../../../../src-main/core/envs/types.ts'

async function played(preset: string, actions: string[]): Promise<Context> {
  const [task] = sokoban.tasks('test', 1, 0, { preset })
  const s = await sokoban.open(task!)
  const initial = await s.reset()
  const history = []
  for (const action of actions) history.push({ action, step: await s.step(action) })
  return { task: task!, initial, history }
}

describe('Sokoban prompts', () => {
  it('compact: the current interior, one byte per cell, no border, no newlines, no history or experience text', async () => {
    for (const [preset, cells] of [
      ['6x6-1', 16],
      ['7x7-2', 25],
      ['10x10-4', 64],
    ] as const) {
      const ctx = await played(preset, ['up', 'left', 'down'])
      const text = r.render(ctx, 'compact')
      expect(text.length).toBe(cells + 1)
      expect(text.endsWith('>')).toBe(true)
      expect(text).not.toContain('\n')
      const rows = ctx.history[2]!.step.observation.split('\n')
      expect(text.slice(0, -1)).toBe(rows.slice(1, -1).map((row) => row.slice(1, -1)).join(''))
      // Markov: the same state renders the same whatever the path and experience.
      const same = r.render({ ...ctx, history: ctx.history.slice(2), experience: 'push the box up first', avoid: ['left'] }, 'compact')
      expect(same).toBe(text)
    }
  })

  it('compact: an experience code after the state — blamed move, its cell, the fix — and nothing of the prose', async () => {
    const ctx = await played('7x7-2', ['up'])
    const plain = r.render(ctx, 'compact')
    const withCode = r.render({ ...ctx, experience: 'At step 1, pushing … Next move: right.', code: { blamed: 'up', place: '2,3', fix: 'right' } }, 'compact')
    expect(withCode).toBe(plain.slice(0, -1) + '|Xu23:r>')
    expect(r.render({ ...ctx, code: { blamed: 'left', place: '12,3' } }, 'compact')).toBe(plain.slice(0, -1) + '|Xlc3>')
    // The readable form keeps the prose and never shows the code.
    expect(r.render({ ...ctx, experience: 'Go right first.', code: { blamed: 'up', place: '2,3', fix: 'right' } }, 'readable')).toContain('Experience from an earlier attempt: Go right first.')
  })

  it('compact: blanks outside an irregular room read as walls', () => {
    expect(compactGrid('  ####\n###  #\n#@$. #\n######')).toBe('##  @$. ')
  })

  it('readable: instruction, legend, recent moves with feedback, experience, the grid, the question', async () => {
    const ctx = await played('7x7-2', ['up', 'jump', 'left'])
    const text = r.render({ ...ctx, experience: 'Push the box at (3, 3) up first.' }, 'readable')
    expect(text).toContain(ctx.task.instruction)
    expect(text).toContain('Legend: # wall')
    expect(text).toContain(`2. jump — "jump" is not an action.`)
    expect(text).toContain(`3. left — ${ctx.history[2]!.step.feedback}`)
    expect(text).toContain('Experience from an earlier attempt: Push the box at (3, 3) up first.')
    expect(text).toContain(`Current state after 3 moves:\n${ctx.history[2]!.step.observation}\n`)
    expect(text.endsWith('Your next action (up, down, left or right):')).toBe(true)
    const start = r.render({ ...ctx, history: [] }, 'readable')
    expect(start).not.toContain('Your moves')
    expect(start).not.toContain('Experience')
    expect(r.system(ctx.task)).toMatch(/^You are playing Sokoban\. Push every box/)
    const long = await played('7x7-2', Array.from({ length: 12 }, () => 'up'))
    expect(r.render(long, 'readable')).toContain('Your last 8 of 12 moves:\n5. up')
  })

  it('formats and parses actions in both forms', () => {
    expect(r.formatAction('up', 'compact')).toBe('u')
    expect(r.formatAction('R', 'readable')).toBe('right')
    expect(r.parseAction('l', 'compact')).toBe('left')
    expect(r.parseAction('d>', 'compact')).toBe('down')
    expect(r.parseAction('DOWN', 'readable')).toBe('down')
    expect(r.parseAction('The box is left of me, so I go up. Action: right', 'readable')).toBe('right')
    expect(r.parseAction('no idea', 'readable')).toBe('no idea')
    expect(r.parseAction('x', 'compact')).toBe('x')
  })
})
