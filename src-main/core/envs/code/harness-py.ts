// The Python test harness, run inside the sandbox next to solution.py, the tests on stdin: loads the
// solution, runs every test in order and reports each on file descriptor 3 as one JSON line. For
// a failed `assert a == b` it evaluates both sides again in the failing frame, so feedback shows
// the input, the expected and the actual value even for HumanEval's check(candidate) functions.

export const PY_HARNESS = String.raw`import ast, copy, json, math, os, random, re, sys, traceback

# Tests that draw random inputs give the same feedback every run.
random.seed(0)

job = json.loads(sys.stdin.buffer.read().decode('utf-8'))
LIMIT = job['limitChars']
_chan = os.fdopen(3, 'w', encoding='utf-8')
_exit = os._exit


def emit(**kw):
    _chan.write(json.dumps(kw) + '\n')
    _chan.flush()


def clip(s):
    return s if len(s) <= LIMIT else s[:LIMIT] + '… (%d more characters)' % (len(s) - LIMIT)


def show(v):
    try:
        return repr(v)
    except BaseException as e:
        return '<unprintable %s>' % type(v).__name__


def describe(e, file='solution.py'):
    line = None
    tb = e.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == file:
            line = tb.tb_lineno
        tb = tb.tb_next
    if isinstance(e, SystemExit):
        return 'the program called exit(%s)' % ('' if e.code is None else e.code)
    text = '%s: %s' % (type(e).__name__, e) if str(e) else type(e).__name__
    return text + (' (%s, line %d)' % (file, line) if line else '')


def same(a, e):
    if isinstance(a, tuple):
        a = list(a)
    if isinstance(e, bool) or isinstance(a, bool):
        return isinstance(a, bool) and isinstance(e, bool) and a == e
    if isinstance(e, (int, float)) and isinstance(a, (int, float)):
        if isinstance(e, int) and isinstance(a, int):
            return a == e
        return math.isclose(a, e, rel_tol=1e-9, abs_tol=1e-9)
    if e is None:
        return a is None
    if isinstance(e, list):
        return isinstance(a, list) and len(a) == len(e) and all(same(x, y) for x, y in zip(a, e))
    if isinstance(e, dict):
        if not isinstance(a, dict) or len(a) != len(e):
            return False
        a = {str(k): v for k, v in a.items()}
        return all(k in a and same(a[k], v) for k, v in e.items())
    return type(a) is type(e) and a == e


def failing_assert(code, err, entry):
    """The assert statement that failed in test.py and, for a == b, both sides evaluated again."""
    frame, line = None, None
    tb = err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == 'test.py':
            frame, line = tb.tb_frame, tb.tb_lineno
        tb = tb.tb_next
    out = {'line': line}
    if line is None:
        return out
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return out
    node = next((n for n in ast.walk(tree) if isinstance(n, ast.Assert) and n.lineno <= line <= (n.end_lineno or n.lineno)), None)
    if node is None:
        return out
    out['assertion'] = clip(ast.get_source_segment(code, node) or '')
    t = node.test
    if isinstance(t, ast.Compare) and len(t.ops) == 1 and isinstance(t.ops[0], ast.Eq):
        left = ast.get_source_segment(code, t.left) or ''
        out['input'] = clip(re.sub(r'\bcandidate\b', entry, left))
        for key, expr in (('actual', t.left), ('expected', t.comparators[0])):
            try:
                value = eval(compile(ast.Expression(expr), 'test.py', 'eval'), frame.f_globals, frame.f_locals)
                out[key] = clip(show(value))
            except BaseException as e:
                if key == 'actual':
                    out['error'] = clip(describe(e))
    return out


def main():
    entry = job['entry']
    source = open('solution.py', encoding='utf-8').read()
    try:
        code = compile(source, 'solution.py', 'exec')
    except SyntaxError as e:
        emit(event='compile_error', message='%s: %s (solution.py, line %s)' % (type(e).__name__, e.msg, e.lineno), line=e.lineno)
        return
    g = {'__name__': 'solution', '__builtins__': __builtins__}
    try:
        exec(code, g)
    except BaseException as e:
        emit(event='load_error', message=describe(e))
        return
    fn = g.get(entry)
    if not callable(fn) and isinstance(g.get('Solution'), type) and hasattr(g['Solution'], entry):
        fn = getattr(g['Solution'](), entry)
    if not callable(fn) and any(t['kind'] == 'io' for t in job['tests']):
        emit(event='no_entry', message='The program does not define a function named %s.' % entry)
        return
    for i, t in enumerate(job['tests']):
        emit(event='start', i=i)
        if t['kind'] == 'io':
            try:
                actual = fn(*copy.deepcopy(t['args']))
                emit(event='result', i=i, ok=same(actual, t['expected']), actual=clip(show(actual)))
            except BaseException as e:
                emit(event='result', i=i, ok=False, error=clip(describe(e)))
            continue
        ns = dict(g)
        try:
            exec(compile(t['code'], 'test.py', 'exec'), ns)
            emit(event='result', i=i, ok=True)
        except AssertionError as e:
            emit(event='result', i=i, ok=False, **failing_assert(t['code'], e, entry))
        except BaseException as e:
            solution_frame = any(f.filename == 'solution.py' for f in traceback.extract_tb(e.__traceback__))
            emit(event='result', i=i, ok=False, error=clip(describe(e, 'solution.py' if solution_frame else 'test.py')))


try:
    main()
    emit(event='done')
except BaseException as e:
    emit(event='load_error', message=describe(e))
sys.stdout.flush()
_exit(0)
`
