// The built-in programming problems, written for this project: graded from 1 (a loop) to 5 (a
// parser, dynamic programming, graph search). Each has a JavaScript and a Python reference
// solution and input/output cases shared by both languages. `visible` cases are shown in the
// statement; the hidden tests are all cases, visible ones included, so an accepted program also
// passes what it was shown.
//
// Statements use {fn} for the function's name, and {None} {True} {False} {list} {dict} for the
// words that differ between the languages.

/** [arguments, expected result] */
export type Case = [unknown[], unknown]

export type Problem = {
  slug: string
  difficulty: 1 | 2 | 3 | 4 | 5
  /** The Python name (snake_case); JavaScript uses its camelCase form. */
  fn: string
  params: string[]
  statement: string
  py: string
  js: string
  visible: Case[]
  hidden: Case[]
}

export const problems: Problem[] = [
  // ── 1: one loop or one library call ────────────────────────────────────────────────────────
  {
    slug: 'sum-of-evens',
    difficulty: 1,
    fn: 'sum_of_evens',
    params: ['nums'],
    statement: 'Return the sum of the even numbers in the {list} `nums` (0 if there are none).',
    py: `def sum_of_evens(nums):
    return sum(x for x in nums if x % 2 == 0)
`,
    js: `function sumOfEvens(nums) {
  return nums.filter((x) => x % 2 === 0).reduce((a, b) => a + b, 0)
}
`,
    visible: [
      [[[1, 2, 3, 4]], 6],
      [[[5, 7]], 0],
    ],
    hidden: [
      [[[]], 0],
      [[[-2, -3, 4]], 2],
      [[[0]], 0],
      [[[10, 11, 12, 13, 14]], 36],
    ],
  },
  {
    slug: 'count-vowels',
    difficulty: 1,
    fn: 'count_vowels',
    params: ['text'],
    statement: 'Return how many vowels (a, e, i, o, u, in upper or lower case) the string `text` contains.',
    py: `def count_vowels(text):
    return sum(1 for c in text.lower() if c in 'aeiou')
`,
    js: `function countVowels(text) {
  return [...text.toLowerCase()].filter((c) => 'aeiou'.includes(c)).length
}
`,
    visible: [
      [['hello'], 2],
      [['AEIOU'], 5],
    ],
    hidden: [
      [[''], 0],
      [['rhythm'], 0],
      [['Programming Is Fun'], 5],
      [['xyz AEIOU aeiou'], 10],
    ],
  },
  {
    slug: 'reverse-words',
    difficulty: 1,
    fn: 'reverse_words',
    params: ['sentence'],
    statement:
      'Return the words of `sentence` in reverse order, joined by single spaces. Words are separated by one or more spaces; spaces at the start and the end are ignored.',
    py: `def reverse_words(sentence):
    return ' '.join(reversed(sentence.split()))
`,
    js: `function reverseWords(sentence) {
  return sentence.split(' ').filter((w) => w.length > 0).reverse().join(' ')
}
`,
    visible: [
      [['hello world'], 'world hello'],
      [['  the sky  is blue '], 'blue is sky the'],
    ],
    hidden: [
      [[''], ''],
      [['one'], 'one'],
      [['a b c d'], 'd c b a'],
      [['   '], ''],
    ],
  },
  {
    slug: 'clamp',
    difficulty: 1,
    fn: 'clamp',
    params: ['x', 'lo', 'hi'],
    statement: 'Return `x` limited to the range `lo` to `hi` inclusive: `lo` if x is below it, `hi` if x is above it, else x itself. You may assume lo <= hi.',
    py: `def clamp(x, lo, hi):
    return max(lo, min(x, hi))
`,
    js: `function clamp(x, lo, hi) {
  return Math.max(lo, Math.min(x, hi))
}
`,
    visible: [
      [[5, 1, 10], 5],
      [[-3, 0, 7], 0],
    ],
    hidden: [
      [[12, 0, 7], 7],
      [[7, 7, 7], 7],
      [[-5, -10, -6], -6],
      [[0, 0, 0], 0],
    ],
  },
  {
    slug: 'is-palindrome',
    difficulty: 1,
    fn: 'is_palindrome',
    params: ['text'],
    statement:
      'Return {True} if `text` reads the same forwards and backwards when only its letters and digits are kept and upper and lower case are treated alike; otherwise return {False}.',
    py: `def is_palindrome(text):
    kept = [c.lower() for c in text if c.isalnum()]
    return kept == kept[::-1]
`,
    js: `function isPalindrome(text) {
  const kept = text.toLowerCase().replace(/[^a-z0-9]/g, '')
  return kept === [...kept].reverse().join('')
}
`,
    visible: [
      [['A man, a plan, a canal: Panama'], true],
      [['race a car'], false],
    ],
    hidden: [
      [[''], true],
      [['ab'], false],
      [["No 'x' in Nixon"], true],
      [['12321'], true],
      [['123ab'], false],
    ],
  },
  {
    slug: 'fizzbuzz',
    difficulty: 1,
    fn: 'fizzbuzz',
    params: ['n'],
    statement:
      'Return a {list} of strings for the numbers 1 to `n`: "Fizz" for multiples of 3, "Buzz" for multiples of 5, "FizzBuzz" for multiples of both, and otherwise the number itself written as a string.',
    py: `def fizzbuzz(n):
    out = []
    for i in range(1, n + 1):
        s = ('Fizz' if i % 3 == 0 else '') + ('Buzz' if i % 5 == 0 else '')
        out.append(s or str(i))
    return out
`,
    js: `function fizzbuzz(n) {
  const out = []
  for (let i = 1; i <= n; i++) {
    const s = (i % 3 === 0 ? 'Fizz' : '') + (i % 5 === 0 ? 'Buzz' : '')
    out.push(s || String(i))
  }
  return out
}
`,
    visible: [
      [[5], ['1', '2', 'Fizz', '4', 'Buzz']],
      [[1], ['1']],
    ],
    hidden: [
      [[0], []],
      [[15], ['1', '2', 'Fizz', '4', 'Buzz', 'Fizz', '7', '8', 'Fizz', 'Buzz', '11', 'Fizz', '13', '14', 'FizzBuzz']],
    ],
  },
  {
    slug: 'digit-sum',
    difficulty: 1,
    fn: 'digit_sum',
    params: ['n'],
    statement: 'Return the sum of the decimal digits of the integer `n` (a minus sign is ignored).',
    py: `def digit_sum(n):
    return sum(int(d) for d in str(abs(n)))
`,
    js: `function digitSum(n) {
  return [...String(Math.abs(n))].reduce((a, d) => a + Number(d), 0)
}
`,
    visible: [
      [[123], 6],
      [[0], 0],
    ],
    hidden: [
      [[-45], 9],
      [[9999], 36],
      [[100000], 1],
      [[7], 7],
    ],
  },
  {
    slug: 'count-occurrences',
    difficulty: 1,
    fn: 'count_occurrences',
    params: ['items', 'target'],
    statement: 'Return how many times `target` appears in the {list} `items`.',
    py: `def count_occurrences(items, target):
    return sum(1 for x in items if x == target)
`,
    js: `function countOccurrences(items, target) {
  return items.filter((x) => x === target).length
}
`,
    visible: [
      [[[1, 2, 1, 3, 1], 1], 3],
      [[['a', 'b'], 'c'], 0],
    ],
    hidden: [
      [[[], 5], 0],
      [[['x', 'x'], 'x'], 2],
      [[[0, 0, 0, 1], 0], 3],
      [[[2, 3, 4], 4], 1],
    ],
  },
  {
    slug: 'second-largest',
    difficulty: 1,
    fn: 'second_largest',
    params: ['nums'],
    statement: 'Return the second largest distinct value in the {list} `nums`, or {None} if it has fewer than two distinct values.',
    py: `def second_largest(nums):
    values = sorted(set(nums), reverse=True)
    return values[1] if len(values) > 1 else None
`,
    js: `function secondLargest(nums) {
  const values = [...new Set(nums)].sort((a, b) => b - a)
  return values.length > 1 ? values[1] : null
}
`,
    visible: [
      [[[3, 1, 4, 1, 5]], 4],
      [[[7, 7]], null],
    ],
    hidden: [
      [[[]], null],
      [[[1, 2]], 1],
      [[[-1, -5, -3]], -3],
      [[[10, 10, 9, 9, 8]], 9],
      [[[5]], null],
    ],
  },

  // ── 2: a little bookkeeping ────────────────────────────────────────────────────────────────
  {
    slug: 'remove-duplicates',
    difficulty: 2,
    fn: 'remove_duplicates',
    params: ['items'],
    statement: 'Return a new {list} with the items of `items` in their original order, keeping only the first occurrence of each value.',
    py: `def remove_duplicates(items):
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out
`,
    js: `function removeDuplicates(items) {
  return [...new Set(items)]
}
`,
    visible: [
      [[[1, 2, 1, 3, 2]], [1, 2, 3]],
      [[['b', 'a', 'b']], ['b', 'a']],
    ],
    hidden: [
      [[[]], []],
      [[[5, 5, 5]], [5]],
      [[[1, 2, 3]], [1, 2, 3]],
      [[[3, 1, 3, 1, 2, 2]], [3, 1, 2]],
    ],
  },
  {
    slug: 'char-frequency',
    difficulty: 2,
    fn: 'char_frequency',
    params: ['text'],
    statement:
      'Return a {dict} that maps each character of `text`, except spaces, to the number of times it appears. Upper and lower case letters are different characters.',
    py: `def char_frequency(text):
    counts = {}
    for c in text:
        if c != ' ':
            counts[c] = counts.get(c, 0) + 1
    return counts
`,
    js: `function charFrequency(text) {
  const counts = {}
  for (const c of text) if (c !== ' ') counts[c] = (counts[c] ?? 0) + 1
  return counts
}
`,
    visible: [
      [['hello'], { h: 1, e: 1, l: 2, o: 1 }],
      [['a a'], { a: 2 }],
    ],
    hidden: [
      [[''], {}],
      [['   '], {}],
      [['Aa'], { A: 1, a: 1 }],
      [['112!'], { '1': 2, '2': 1, '!': 1 }],
    ],
  },
  {
    slug: 'capitalize-words',
    difficulty: 2,
    fn: 'capitalize_words',
    params: ['sentence'],
    statement:
      "Return `sentence` with each word's first character in upper case and the rest of the word in lower case. Words are separated by single spaces.",
    py: `def capitalize_words(sentence):
    return ' '.join(w[:1].upper() + w[1:].lower() for w in sentence.split(' '))
`,
    js: `function capitalizeWords(sentence) {
  return sentence
    .split(' ')
    .map((w) => w.slice(0, 1).toUpperCase() + w.slice(1).toLowerCase())
    .join(' ')
}
`,
    visible: [
      [['hello world'], 'Hello World'],
      [['PYTHON is FUN'], 'Python Is Fun'],
    ],
    hidden: [
      [[''], ''],
      [['a'], 'A'],
      [['x y z'], 'X Y Z'],
      [['3rd place'], '3rd Place'],
    ],
  },
  {
    slug: 'running-sum',
    difficulty: 2,
    fn: 'running_sum',
    params: ['nums'],
    statement: 'Return the running sums of the {list} `nums`: item i of the result is the sum of nums[0] through nums[i].',
    py: `def running_sum(nums):
    out, total = [], 0
    for x in nums:
        total += x
        out.append(total)
    return out
`,
    js: `function runningSum(nums) {
  let total = 0
  return nums.map((x) => (total += x))
}
`,
    visible: [
      [[[1, 2, 3, 4]], [1, 3, 6, 10]],
      [[[5]], [5]],
    ],
    hidden: [
      [[[]], []],
      [[[1, -1, 1, -1]], [1, 0, 1, 0]],
      [[[0, 0, 0]], [0, 0, 0]],
      [[[10, 20, 30]], [10, 30, 60]],
    ],
  },
  {
    slug: 'flatten',
    difficulty: 2,
    fn: 'flatten',
    params: ['nested'],
    statement: '`nested` is a {list} whose items are integers or {list}s nested to any depth. Return a flat {list} of all the integers, in order.',
    py: `def flatten(nested):
    out = []
    for x in nested:
        if isinstance(x, list):
            out.extend(flatten(x))
        else:
            out.append(x)
    return out
`,
    js: `function flatten(nested) {
  return nested.flat(Infinity)
}
`,
    visible: [
      [[[1, [2, 3], [4, [5]]]], [1, 2, 3, 4, 5]],
      [[[]], []],
    ],
    hidden: [
      [[[[[]]]], []],
      [[[1, 2, 3]], [1, 2, 3]],
      [[[[1], [2], [3, [4, [5, [6]]]]]], [1, 2, 3, 4, 5, 6]],
      [[[0, [-1, [-2]]]], [0, -1, -2]],
    ],
  },
  {
    slug: 'chunk',
    difficulty: 2,
    fn: 'chunk',
    params: ['items', 'size'],
    statement: 'Split the {list} `items` into consecutive chunks of `size` items (the last chunk may be shorter) and return the {list} of chunks. `size` is at least 1.',
    py: `def chunk(items, size):
    return [items[i:i + size] for i in range(0, len(items), size)]
`,
    js: `function chunk(items, size) {
  const out = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
`,
    visible: [
      [
        [[1, 2, 3, 4, 5], 2],
        [[1, 2], [3, 4], [5]],
      ],
      [[[1, 2, 3], 3], [[1, 2, 3]]],
    ],
    hidden: [
      [[[], 2], []],
      [[[1], 5], [[1]]],
      [
        [['a', 'b', 'c', 'd'], 1],
        [['a'], ['b'], ['c'], ['d']],
      ],
      [
        [[1, 2, 3, 4, 5, 6], 4],
        [
          [1, 2, 3, 4],
          [5, 6],
        ],
      ],
    ],
  },
  {
    slug: 'rotate-left',
    difficulty: 2,
    fn: 'rotate_left',
    params: ['items', 'k'],
    statement:
      'Return the {list} `items` rotated left by `k` positions: the first k items move to the end. `k` may be larger than the length; an empty {list} stays empty.',
    py: `def rotate_left(items, k):
    if not items:
        return []
    k %= len(items)
    return items[k:] + items[:k]
`,
    js: `function rotateLeft(items, k) {
  if (items.length === 0) return []
  k %= items.length
  return [...items.slice(k), ...items.slice(0, k)]
}
`,
    visible: [
      [
        [[1, 2, 3, 4, 5], 2],
        [3, 4, 5, 1, 2],
      ],
      [
        [[1, 2, 3], 0],
        [1, 2, 3],
      ],
    ],
    hidden: [
      [[[], 3], []],
      [
        [[1, 2, 3], 3],
        [1, 2, 3],
      ],
      [
        [[1, 2, 3], 4],
        [2, 3, 1],
      ],
      [
        [['a', 'b'], 1],
        ['b', 'a'],
      ],
      [
        [[1, 2, 3, 4, 5], 7],
        [3, 4, 5, 1, 2],
      ],
    ],
  },
  {
    slug: 'is-anagram',
    difficulty: 2,
    fn: 'is_anagram',
    params: ['a', 'b'],
    statement:
      'Return {True} if the strings `a` and `b` contain the same letters the same number of times when spaces are ignored and upper and lower case are treated alike; otherwise return {False}.',
    py: `def is_anagram(a, b):
    norm = lambda s: sorted(s.replace(' ', '').lower())
    return norm(a) == norm(b)
`,
    js: `function isAnagram(a, b) {
  const norm = (s) => [...s.replace(/ /g, '').toLowerCase()].sort().join('')
  return norm(a) === norm(b)
}
`,
    visible: [
      [['listen', 'silent'], true],
      [['hello', 'world'], false],
    ],
    hidden: [
      [['Dormitory', 'dirty room'], true],
      [['', ''], true],
      [['a', 'aa'], false],
      [['Astronomer', 'Moon starer'], true],
      [['abc', 'abd'], false],
    ],
  },
  {
    slug: 'gcd',
    difficulty: 2,
    fn: 'gcd',
    params: ['a', 'b'],
    statement: 'Return the greatest common divisor of the non-negative integers `a` and `b`; gcd(0, 0) is 0.',
    py: `def gcd(a, b):
    while b:
        a, b = b, a % b
    return a
`,
    js: `function gcd(a, b) {
  while (b) [a, b] = [b, a % b]
  return a
}
`,
    visible: [
      [[12, 18], 6],
      [[7, 5], 1],
    ],
    hidden: [
      [[0, 9], 9],
      [[0, 0], 0],
      [[100, 10], 10],
      [[270, 192], 6],
      [[17, 17], 17],
    ],
  },

  // ── 3: a known algorithm, some care at the edges ───────────────────────────────────────────
  {
    slug: 'roman-to-int',
    difficulty: 3,
    fn: 'roman_to_int',
    params: ['s'],
    statement: 'Convert the Roman numeral `s` (letters I, V, X, L, C, D, M, with subtractive forms such as IV and XC) to an integer.',
    py: `def roman_to_int(s):
    value = {'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100, 'D': 500, 'M': 1000}
    total = 0
    for i, c in enumerate(s):
        v = value[c]
        total += -v if i + 1 < len(s) and value[s[i + 1]] > v else v
    return total
`,
    js: `function romanToInt(s) {
  const value = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 }
  let total = 0
  for (let i = 0; i < s.length; i++) {
    const v = value[s[i]]
    total += i + 1 < s.length && value[s[i + 1]] > v ? -v : v
  }
  return total
}
`,
    visible: [
      [['III'], 3],
      [['MCMXCIV'], 1994],
    ],
    hidden: [
      [['IV'], 4],
      [['IX'], 9],
      [['LVIII'], 58],
      [['MMMCMXCIX'], 3999],
      [['XLII'], 42],
      [['CDXLIV'], 444],
    ],
  },
  {
    slug: 'int-to-roman',
    difficulty: 3,
    fn: 'int_to_roman',
    params: ['n'],
    statement: 'Convert the integer `n` (1 to 3999) to a Roman numeral, using the subtractive forms (4 is IV, 90 is XC, 900 is CM).',
    py: `def int_to_roman(n):
    table = [(1000, 'M'), (900, 'CM'), (500, 'D'), (400, 'CD'), (100, 'C'), (90, 'XC'),
             (50, 'L'), (40, 'XL'), (10, 'X'), (9, 'IX'), (5, 'V'), (4, 'IV'), (1, 'I')]
    out = ''
    for value, letters in table:
        while n >= value:
            out += letters
            n -= value
    return out
`,
    js: `function intToRoman(n) {
  const table = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
    [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']]
  let out = ''
  for (const [value, letters] of table) {
    while (n >= value) {
      out += letters
      n -= value
    }
  }
  return out
}
`,
    visible: [
      [[3], 'III'],
      [[1994], 'MCMXCIV'],
    ],
    hidden: [
      [[4], 'IV'],
      [[58], 'LVIII'],
      [[3999], 'MMMCMXCIX'],
      [[444], 'CDXLIV'],
      [[1000], 'M'],
      [[14], 'XIV'],
    ],
  },
  {
    slug: 'balanced-brackets',
    difficulty: 3,
    fn: 'balanced_brackets',
    params: ['s'],
    statement:
      'Return {True} if every bracket in the string `s` — (), [] and {} — is closed by the matching bracket in the right order, else {False}. Other characters are ignored.',
    py: `def balanced_brackets(s):
    pairs = {')': '(', ']': '[', '}': '{'}
    stack = []
    for c in s:
        if c in '([{':
            stack.append(c)
        elif c in pairs:
            if not stack or stack.pop() != pairs[c]:
                return False
    return not stack
`,
    js: `function balancedBrackets(s) {
  const pairs = { ')': '(', ']': '[', '}': '{' }
  const stack = []
  for (const c of s) {
    if ('([{'.includes(c)) stack.push(c)
    else if (c in pairs && stack.pop() !== pairs[c]) return false
  }
  return stack.length === 0
}
`,
    visible: [
      [['([]{})'], true],
      [['(]'], false],
    ],
    hidden: [
      [[''], true],
      [['((('], false],
      [['a(b[c]d)e'], true],
      [['([)]'], false],
      [['}{'], false],
      [['{[()()]}'], true],
    ],
  },
  {
    slug: 'run-length-encode',
    difficulty: 3,
    fn: 'run_length_encode',
    params: ['s'],
    statement: 'Encode the string `s` by replacing every run of the same character with that character followed by the length of the run: "aaab" becomes "a3b1".',
    py: `def run_length_encode(s):
    out, i = [], 0
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]:
            j += 1
        out.append(s[i] + str(j - i))
        i = j
    return ''.join(out)
`,
    js: `function runLengthEncode(s) {
  return (s.match(/(.)\\1*/gs) ?? []).map((run) => run[0] + run.length).join('')
}
`,
    visible: [
      [['aaabcc'], 'a3b1c2'],
      [['abc'], 'a1b1c1'],
    ],
    hidden: [
      [[''], ''],
      [['a'], 'a1'],
      [['zzzzzzzzzzzz'], 'z12'],
      [['aabbaa'], 'a2b2a2'],
    ],
  },
  {
    slug: 'two-sum',
    difficulty: 3,
    fn: 'two_sum',
    params: ['nums', 'target'],
    statement:
      'Return the indices [i, j] with i < j of two numbers in the {list} `nums` that add up to `target`. Of all such pairs return the one with the smallest j, and for that j the smallest i. Return {None} if there is no such pair.',
    py: `def two_sum(nums, target):
    first = {}
    for j, x in enumerate(nums):
        if target - x in first:
            return [first[target - x], j]
        first.setdefault(x, j)
    return None
`,
    js: `function twoSum(nums, target) {
  const first = new Map()
  for (let j = 0; j < nums.length; j++) {
    if (first.has(target - nums[j])) return [first.get(target - nums[j]), j]
    if (!first.has(nums[j])) first.set(nums[j], j)
  }
  return null
}
`,
    visible: [
      [
        [[2, 7, 11, 15], 9],
        [0, 1],
      ],
      [
        [[3, 2, 4], 6],
        [1, 2],
      ],
    ],
    hidden: [
      [
        [[3, 3], 6],
        [0, 1],
      ],
      [[[1, 2, 3], 7], null],
      [[[], 0], null],
      [
        [[1, 5, 1, 5], 6],
        [0, 1],
      ],
      [
        [[0, 4, 3, 0], 0],
        [0, 3],
      ],
      [
        [[-1, -2, -3, -4, -5], -8],
        [2, 4],
      ],
    ],
  },
  {
    slug: 'merge-intervals',
    difficulty: 3,
    fn: 'merge_intervals',
    params: ['intervals'],
    statement:
      '`intervals` is a {list} of [start, end] pairs. Merge all overlapping intervals (intervals that touch, like [1, 2] and [2, 3], overlap too) and return the merged intervals sorted by start.',
    py: `def merge_intervals(intervals):
    out = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return out
`,
    js: `function mergeIntervals(intervals) {
  const out = []
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0] || a[1] - b[1])) {
    const last = out[out.length - 1]
    if (last && start <= last[1]) last[1] = Math.max(last[1], end)
    else out.push([start, end])
  }
  return out
}
`,
    visible: [
      [
        [
          [
            [1, 3],
            [2, 6],
            [8, 10],
            [15, 18],
          ],
        ],
        [
          [1, 6],
          [8, 10],
          [15, 18],
        ],
      ],
      [
        [
          [
            [1, 4],
            [4, 5],
          ],
        ],
        [[1, 5]],
      ],
    ],
    hidden: [
      [[[]], []],
      [
        [
          [
            [5, 6],
            [1, 2],
          ],
        ],
        [
          [1, 2],
          [5, 6],
        ],
      ],
      [
        [
          [
            [1, 10],
            [2, 3],
            [4, 5],
          ],
        ],
        [[1, 10]],
      ],
      [
        [
          [
            [3, 4],
            [1, 2],
            [2, 3],
          ],
        ],
        [[1, 4]],
      ],
      [[[[0, 0]]], [[0, 0]]],
    ],
  },
  {
    slug: 'longest-common-prefix',
    difficulty: 3,
    fn: 'longest_common_prefix',
    params: ['words'],
    statement: 'Return the longest string that every word in the {list} `words` starts with ("" for an empty {list}).',
    py: `def longest_common_prefix(words):
    if not words:
        return ''
    prefix = words[0]
    for w in words[1:]:
        while not w.startswith(prefix):
            prefix = prefix[:-1]
    return prefix
`,
    js: `function longestCommonPrefix(words) {
  if (words.length === 0) return ''
  let prefix = words[0]
  for (const w of words.slice(1)) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1)
  return prefix
}
`,
    visible: [
      [[['flower', 'flow', 'flight']], 'fl'],
      [[['dog', 'racecar', 'car']], ''],
    ],
    hidden: [
      [[[]], ''],
      [[['alone']], 'alone'],
      [[['same', 'same']], 'same'],
      [[['interspecies', 'interstellar', 'interstate']], 'inters'],
      [[['', 'a']], ''],
    ],
  },
  {
    slug: 'transpose',
    difficulty: 3,
    fn: 'transpose',
    params: ['matrix'],
    statement: 'Return the transpose of the rectangular matrix `matrix` (a {list} of rows): row i of the result is column i of the input.',
    py: `def transpose(matrix):
    return [list(column) for column in zip(*matrix)]
`,
    js: `function transpose(matrix) {
  if (matrix.length === 0) return []
  return matrix[0].map((_, i) => matrix.map((row) => row[i]))
}
`,
    visible: [
      [
        [
          [
            [1, 2, 3],
            [4, 5, 6],
          ],
        ],
        [
          [1, 4],
          [2, 5],
          [3, 6],
        ],
      ],
      [[[[1]]], [[1]]],
    ],
    hidden: [
      [[[]], []],
      [[[[1, 2]]], [[1], [2]]],
      [[[[1], [2], [3]]], [[1, 2, 3]]],
      [
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
        [
          [1, 3],
          [2, 4],
        ],
      ],
    ],
  },
  {
    slug: 'primes-up-to',
    difficulty: 3,
    fn: 'primes_up_to',
    params: ['n'],
    statement: 'Return all prime numbers less than or equal to `n`, in increasing order.',
    py: `def primes_up_to(n):
    if n < 2:
        return []
    sieve = [True] * (n + 1)
    sieve[0] = sieve[1] = False
    for i in range(2, int(n ** 0.5) + 1):
        if sieve[i]:
            for j in range(i * i, n + 1, i):
                sieve[j] = False
    return [i for i, p in enumerate(sieve) if p]
`,
    js: `function primesUpTo(n) {
  const out = []
  for (let i = 2; i <= n; i++) {
    let prime = true
    for (let d = 2; d * d <= i; d++) if (i % d === 0) prime = false
    if (prime) out.push(i)
  }
  return out
}
`,
    visible: [
      [[10], [2, 3, 5, 7]],
      [[1], []],
    ],
    hidden: [
      [[2], [2]],
      [[0], []],
      [[30], [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]],
      [[20], [2, 3, 5, 7, 11, 13, 17, 19]],
    ],
  },

  // ── 4: dynamic programming and simulation ─────────────────────────────────────────────────
  {
    slug: 'longest-increasing-subsequence',
    difficulty: 4,
    fn: 'longest_increasing_subsequence',
    params: ['nums'],
    statement: 'Return the length of the longest strictly increasing subsequence of the {list} `nums` (its items need not be next to each other).',
    py: `def longest_increasing_subsequence(nums):
    best = [1] * len(nums)
    for i in range(len(nums)):
        for j in range(i):
            if nums[j] < nums[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)
`,
    js: `function longestIncreasingSubsequence(nums) {
  const best = nums.map(() => 1)
  for (let i = 0; i < nums.length; i++)
    for (let j = 0; j < i; j++) if (nums[j] < nums[i]) best[i] = Math.max(best[i], best[j] + 1)
  return Math.max(0, ...best)
}
`,
    visible: [
      [[[10, 9, 2, 5, 3, 7, 101, 18]], 4],
      [[[0, 1, 0, 3, 2, 3]], 4],
    ],
    hidden: [
      [[[]], 0],
      [[[7, 7, 7, 7]], 1],
      [[[1, 2, 3, 4, 5]], 5],
      [[[5, 4, 3, 2, 1]], 1],
      [[[3, 10, 2, 1, 20]], 3],
      [[[4, 10, 4, 3, 8, 9]], 3],
    ],
  },
  {
    slug: 'edit-distance',
    difficulty: 4,
    fn: 'edit_distance',
    params: ['a', 'b'],
    statement:
      'Return the Levenshtein distance between the strings `a` and `b`: the fewest single-character insertions, deletions and substitutions that turn a into b.',
    py: `def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
`,
    js: `function editDistance(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++)
      cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)))
    prev = cur
  }
  return prev[b.length]
}
`,
    visible: [
      [['kitten', 'sitting'], 3],
      [['', ''], 0],
    ],
    hidden: [
      [['abc', ''], 3],
      [['', 'xy'], 2],
      [['flaw', 'lawn'], 2],
      [['intention', 'execution'], 5],
      [['same', 'same'], 0],
    ],
  },
  {
    slug: 'coin-change',
    difficulty: 4,
    fn: 'coin_change',
    params: ['coins', 'amount'],
    statement:
      'Return the fewest coins with values from the {list} `coins` (each value may be used any number of times) that add up to exactly `amount`, or -1 if no combination does.',
    py: `def coin_change(coins, amount):
    inf = float('inf')
    best = [0] + [inf] * amount
    for a in range(1, amount + 1):
        for c in coins:
            if c <= a and best[a - c] + 1 < best[a]:
                best[a] = best[a - c] + 1
    return best[amount] if best[amount] != inf else -1
`,
    js: `function coinChange(coins, amount) {
  const best = [0, ...Array(amount).fill(Infinity)]
  for (let a = 1; a <= amount; a++)
    for (const c of coins) if (c <= a) best[a] = Math.min(best[a], best[a - c] + 1)
  return best[amount] === Infinity ? -1 : best[amount]
}
`,
    visible: [
      [[[1, 2, 5], 11], 3],
      [[[2], 3], -1],
    ],
    hidden: [
      [[[1], 0], 0],
      [[[2, 5, 10, 1], 27], 4],
      [[[186, 419, 83, 408], 6249], 20],
      [[[3, 7], 5], -1],
      [[[1, 3, 4], 6], 2],
    ],
  },
  {
    slug: 'spiral-order',
    difficulty: 4,
    fn: 'spiral_order',
    params: ['matrix'],
    statement: 'Return the items of the rectangular matrix `matrix` (a {list} of rows) in clockwise spiral order, starting at the top-left corner.',
    py: `def spiral_order(matrix):
    out = []
    rows = [list(r) for r in matrix]
    while rows:
        out.extend(rows.pop(0))
        rows = [list(r) for r in zip(*rows)][::-1]
    return out
`,
    js: `function spiralOrder(matrix) {
  const out = []
  let top = 0, bottom = matrix.length - 1, left = 0, right = (matrix[0]?.length ?? 0) - 1
  while (top <= bottom && left <= right) {
    for (let c = left; c <= right; c++) out.push(matrix[top][c])
    for (let r = top + 1; r <= bottom; r++) out.push(matrix[r][right])
    if (top < bottom) for (let c = right - 1; c >= left; c--) out.push(matrix[bottom][c])
    if (left < right) for (let r = bottom - 1; r > top; r--) out.push(matrix[r][left])
    top++, bottom--, left++, right--
  }
  return out
}
`,
    visible: [
      [
        [
          [
            [1, 2, 3],
            [4, 5, 6],
            [7, 8, 9],
          ],
        ],
        [1, 2, 3, 6, 9, 8, 7, 4, 5],
      ],
      [
        [
          [
            [1, 2, 3, 4],
            [5, 6, 7, 8],
            [9, 10, 11, 12],
          ],
        ],
        [1, 2, 3, 4, 8, 12, 11, 10, 9, 5, 6, 7],
      ],
    ],
    hidden: [
      [[[]], []],
      [[[[1]]], [1]],
      [[[[1], [2], [3]]], [1, 2, 3]],
      [
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
        [1, 2, 4, 3],
      ],
      [[[[1, 2, 3]]], [1, 2, 3]],
    ],
  },
  {
    slug: 'eval-rpn',
    difficulty: 4,
    fn: 'eval_rpn',
    params: ['tokens'],
    statement:
      'Evaluate the arithmetic expression `tokens`, written in reverse Polish notation as a {list} of strings: integers and the operators +, -, * and /. Division truncates toward zero.',
    py: `def eval_rpn(tokens):
    stack = []
    for t in tokens:
        if t in ('+', '-', '*', '/'):
            b, a = stack.pop(), stack.pop()
            if t == '+':
                stack.append(a + b)
            elif t == '-':
                stack.append(a - b)
            elif t == '*':
                stack.append(a * b)
            else:
                q = abs(a) // abs(b)
                stack.append(q if (a < 0) == (b < 0) else -q)
        else:
            stack.append(int(t))
    return stack[-1]
`,
    js: `function evalRpn(tokens) {
  const stack = []
  for (const t of tokens) {
    if ('+-*/'.includes(t) && t.length === 1) {
      const b = stack.pop(), a = stack.pop()
      stack.push(t === '+' ? a + b : t === '-' ? a - b : t === '*' ? a * b : Math.trunc(a / b))
    } else stack.push(Number(t))
  }
  return stack[stack.length - 1]
}
`,
    visible: [
      [[['2', '1', '+', '3', '*']], 9],
      [[['4', '13', '5', '/', '+']], 6],
    ],
    hidden: [
      [[['42']], 42],
      [[['10', '6', '9', '3', '+', '-11', '*', '/', '*', '17', '+', '5', '+']], 22],
      [[['7', '-2', '/']], -3],
      [[['3', '4', '-']], -1],
    ],
  },
  {
    slug: 'longest-palindrome',
    difficulty: 4,
    fn: 'longest_palindrome',
    params: ['s'],
    statement:
      'Return the longest contiguous part of the string `s` that is a palindrome (reads the same backwards). If several are equally long, return the one that starts first.',
    py: `def longest_palindrome(s):
    for length in range(len(s), 0, -1):
        for start in range(len(s) - length + 1):
            part = s[start:start + length]
            if part == part[::-1]:
                return part
    return ''
`,
    js: `function longestPalindrome(s) {
  for (let length = s.length; length > 0; length--)
    for (let start = 0; start + length <= s.length; start++) {
      const part = s.slice(start, start + length)
      if (part === [...part].reverse().join('')) return part
    }
  return ''
}
`,
    visible: [
      [['babad'], 'bab'],
      [['cbbd'], 'bb'],
    ],
    hidden: [
      [[''], ''],
      [['a'], 'a'],
      [['forgeeksskeegfor'], 'geeksskeeg'],
      [['abacdfgdcaba'], 'aba'],
      [['abcd'], 'a'],
    ],
  },
  {
    slug: 'count-islands',
    difficulty: 4,
    fn: 'count_islands',
    params: ['grid'],
    statement:
      "`grid` is a {list} of equal-length strings of '1' (land) and '0' (water). Return the number of islands: groups of land cells connected horizontally or vertically.",
    py: `def count_islands(grid):
    seen = set()
    count = 0
    for r in range(len(grid)):
        for c in range(len(grid[r])):
            if grid[r][c] == '1' and (r, c) not in seen:
                count += 1
                stack = [(r, c)]
                seen.add((r, c))
                while stack:
                    y, x = stack.pop()
                    for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                        if 0 <= ny < len(grid) and 0 <= nx < len(grid[ny]) and grid[ny][nx] == '1' and (ny, nx) not in seen:
                            seen.add((ny, nx))
                            stack.append((ny, nx))
    return count
`,
    js: `function countIslands(grid) {
  const land = grid.map((row) => [...row].map((c) => c === '1'))
  const sink = (r, c) => {
    if (r < 0 || r >= land.length || c < 0 || c >= land[r].length || !land[r][c]) return
    land[r][c] = false
    sink(r + 1, c), sink(r - 1, c), sink(r, c + 1), sink(r, c - 1)
  }
  let count = 0
  for (let r = 0; r < land.length; r++)
    for (let c = 0; c < land[r].length; c++)
      if (land[r][c]) {
        count++
        sink(r, c)
      }
  return count
}
`,
    visible: [
      [[['11000', '11000', '00100', '00011']], 3],
      [[['111', '010', '111']], 1],
    ],
    hidden: [
      [[[]], 0],
      [[['0']], 0],
      [[['1']], 1],
      [[['101', '010', '101']], 5],
      [[['1111', '1001', '1111']], 1],
      [[['10', '01']], 2],
    ],
  },
  {
    slug: 'group-anagrams',
    difficulty: 4,
    fn: 'group_anagrams',
    params: ['words'],
    statement:
      'Group the words of the {list} `words` that are anagrams of each other (the same letters, the same number of times). Return the groups in the order their first word appears in `words`, each group listing its words in input order.',
    py: `def group_anagrams(words):
    groups = {}
    for w in words:
        groups.setdefault(''.join(sorted(w)), []).append(w)
    return list(groups.values())
`,
    js: `function groupAnagrams(words) {
  const groups = new Map()
  for (const w of words) {
    const key = [...w].sort().join('')
    if (!groups.has(key)) groups.set(key, [])
    groups.get(key).push(w)
  }
  return [...groups.values()]
}
`,
    visible: [
      [
        [['eat', 'tea', 'tan', 'ate', 'nat', 'bat']],
        [['eat', 'tea', 'ate'], ['tan', 'nat'], ['bat']],
      ],
      [[[]], []],
    ],
    hidden: [
      [[['a']], [['a']]],
      [[['abc', 'bca', 'cab', 'xyz']], [['abc', 'bca', 'cab'], ['xyz']]],
      [[['', '']], [['', '']]],
      [[['ab', 'ba', 'ab']], [['ab', 'ba', 'ab']]],
    ],
  },

  // ── 5: parsing, graphs, harder dynamic programming ────────────────────────────────────────
  {
    slug: 'shortest-path',
    difficulty: 5,
    fn: 'shortest_path',
    params: ['grid'],
    statement:
      "`grid` is a {list} of equal-length strings where '.' is open and '#' is a wall. Return the fewest moves (up, down, left or right, one cell each) from the top-left cell to the bottom-right cell, or -1 if it cannot be reached or either of those cells is a wall.",
    py: `from collections import deque

def shortest_path(grid):
    rows, cols = len(grid), len(grid[0])
    if grid[0][0] == '#' or grid[-1][-1] == '#':
        return -1
    dist = {(0, 0): 0}
    queue = deque([(0, 0)])
    while queue:
        r, c = queue.popleft()
        if (r, c) == (rows - 1, cols - 1):
            return dist[(r, c)]
        for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if 0 <= nr < rows and 0 <= nc < cols and grid[nr][nc] == '.' and (nr, nc) not in dist:
                dist[(nr, nc)] = dist[(r, c)] + 1
                queue.append((nr, nc))
    return -1
`,
    js: `function shortestPath(grid) {
  const rows = grid.length, cols = grid[0].length
  if (grid[0][0] === '#' || grid[rows - 1][cols - 1] === '#') return -1
  const dist = new Map([['0,0', 0]])
  const queue = [[0, 0]]
  for (let head = 0; head < queue.length; head++) {
    const [r, c] = queue[head]
    const d = dist.get(r + ',' + c)
    if (r === rows - 1 && c === cols - 1) return d
    for (const [nr, nc] of [[r + 1, c], [r - 1, c], [r, c + 1], [r, c - 1]]) {
      if (nr < 0 || nr >= rows || nc < 0 || nc >= cols || grid[nr][nc] !== '.' || dist.has(nr + ',' + nc)) continue
      dist.set(nr + ',' + nc, d + 1)
      queue.push([nr, nc])
    }
  }
  return -1
}
`,
    visible: [
      [[['...', '.#.', '...']], 4],
      [[['.#', '#.']], -1],
    ],
    hidden: [
      [[['.']], 0],
      [[['#']], -1],
      [[['....', '###.', '....', '.###', '....']], 13],
      [[['..#', '#..', '...']], 4],
      [[['.', '#', '.']], -1],
      [[['.....']], 4],
    ],
  },
  {
    slug: 'evaluate-expression',
    difficulty: 5,
    fn: 'evaluate_expression',
    params: ['expr'],
    statement:
      'Evaluate the arithmetic expression `expr`, made of non-negative integers, + - * /, parentheses and spaces, with the usual precedence (* and / before + and -, otherwise left to right). Division truncates toward zero. The expression is valid and has no unary minus.',
    py: `import re

def evaluate_expression(expr):
    tokens = re.findall(r'\\d+|[-+*/()]', expr)
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def atom():
        if peek() == '(':
            take()
            value = sum_()
            take()
            return value
        return int(take())

    def product():
        value = atom()
        while peek() in ('*', '/'):
            op, rhs = take(), atom()
            if op == '*':
                value *= rhs
            else:
                q = abs(value) // abs(rhs)
                value = q if (value < 0) == (rhs < 0) else -q
        return value

    def sum_():
        value = product()
        while peek() in ('+', '-'):
            op, rhs = take(), product()
            value = value + rhs if op == '+' else value - rhs
        return value

    return sum_()
`,
    js: `function evaluateExpression(expr) {
  const tokens = expr.match(/\\d+|[-+*/()]/g)
  let pos = 0
  const peek = () => tokens[pos]
  const atom = () => {
    if (peek() === '(') {
      pos++
      const value = sum()
      pos++
      return value
    }
    return Number(tokens[pos++])
  }
  const product = () => {
    let value = atom()
    while (peek() === '*' || peek() === '/') {
      const op = tokens[pos++]
      const rhs = atom()
      value = op === '*' ? value * rhs : Math.trunc(value / rhs)
    }
    return value
  }
  const sum = () => {
    let value = product()
    while (peek() === '+' || peek() === '-') {
      const op = tokens[pos++]
      const rhs = product()
      value = op === '+' ? value + rhs : value - rhs
    }
    return value
  }
  return sum()
}
`,
    visible: [
      [['1 + 2 * 3'], 7],
      [['(1 + 2) * 3'], 9],
    ],
    hidden: [
      [['42'], 42],
      [['10 - 4 - 3'], 3],
      [['14 / 3 * 2'], 8],
      [['2 * (3 + 4) - 10 / (1 + 1)'], 9],
      [['7 - 10 / 4'], 5],
      [['(((5)))'], 5],
      [['(2 - 9) / 2'], -3],
    ],
  },
  {
    slug: 'knapsack',
    difficulty: 5,
    fn: 'knapsack',
    params: ['weights', 'values', 'capacity'],
    statement:
      'Item i has weight weights[i] and value values[i]. Choose items, each at most once, whose weights add up to at most `capacity`, and return the largest total value possible.',
    py: `def knapsack(weights, values, capacity):
    best = [0] * (capacity + 1)
    for w, v in zip(weights, values):
        for c in range(capacity, w - 1, -1):
            best[c] = max(best[c], best[c - w] + v)
    return best[capacity]
`,
    js: `function knapsack(weights, values, capacity) {
  const best = Array(capacity + 1).fill(0)
  weights.forEach((w, i) => {
    for (let c = capacity; c >= w; c--) best[c] = Math.max(best[c], best[c - w] + values[i])
  })
  return best[capacity]
}
`,
    visible: [
      [[[1, 3, 4, 5], [1, 4, 5, 7], 7], 9],
      [[[5], [10], 4], 0],
    ],
    hidden: [
      [[[], [], 10], 0],
      [[[1, 2, 3], [6, 10, 12], 5], 22],
      [[[10, 20, 30], [60, 100, 120], 50], 220],
      [[[2, 2, 2], [3, 3, 3], 5], 6],
      [[[1, 1, 1], [1, 2, 3], 0], 0],
    ],
  },
  {
    slug: 'topological-order',
    difficulty: 5,
    fn: 'topological_order',
    params: ['n', 'edges'],
    statement:
      'There are `n` tasks numbered 0 to n-1, and each pair [a, b] in the {list} `edges` means task a must come before task b. Return an order of all the tasks that respects every pair — whenever several tasks could come next, the smallest number first — or {None} if the pairs contain a cycle.',
    py: `import heapq

def topological_order(n, edges):
    after = [[] for _ in range(n)]
    needs = [0] * n
    for a, b in edges:
        after[a].append(b)
        needs[b] += 1
    ready = [t for t in range(n) if needs[t] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        t = heapq.heappop(ready)
        order.append(t)
        for u in after[t]:
            needs[u] -= 1
            if needs[u] == 0:
                heapq.heappush(ready, u)
    return order if len(order) == n else None
`,
    js: `function topologicalOrder(n, edges) {
  const needs = Array(n).fill(0)
  for (const [, b] of edges) needs[b]++
  const done = Array(n).fill(false)
  const order = []
  while (order.length < n) {
    const next = needs.findIndex((k, t) => k === 0 && !done[t])
    if (next < 0) return null
    done[next] = true
    order.push(next)
    for (const [a, b] of edges) if (a === next) needs[b]--
  }
  return order
}
`,
    visible: [
      [
        [
          4,
          [
            [1, 0],
            [2, 0],
            [3, 1],
            [3, 2],
          ],
        ],
        [3, 1, 2, 0],
      ],
      [
        [
          2,
          [
            [0, 1],
            [1, 0],
          ],
        ],
        null,
      ],
    ],
    hidden: [
      [
        [3, []],
        [0, 1, 2],
      ],
      [[0, []], []],
      [
        [
          5,
          [
            [4, 0],
            [3, 0],
            [2, 1],
          ],
        ],
        [2, 1, 3, 4, 0],
      ],
      [
        [
          3,
          [
            [0, 1],
            [1, 2],
            [2, 0],
          ],
        ],
        null,
      ],
      [
        [
          3,
          [
            [2, 1],
            [1, 0],
          ],
        ],
        [2, 1, 0],
      ],
    ],
  },
  {
    slug: 'next-permutation',
    difficulty: 5,
    fn: 'next_permutation',
    params: ['nums'],
    statement:
      'Return the permutation of the {list} `nums` that comes next in lexicographic order; for the last permutation (items in non-increasing order) return the first one (items in increasing order).',
    py: `def next_permutation(nums):
    a = list(nums)
    i = len(a) - 2
    while i >= 0 and a[i] >= a[i + 1]:
        i -= 1
    if i >= 0:
        j = len(a) - 1
        while a[j] <= a[i]:
            j -= 1
        a[i], a[j] = a[j], a[i]
    a[i + 1:] = reversed(a[i + 1:])
    return a
`,
    js: `function nextPermutation(nums) {
  const a = [...nums]
  let i = a.length - 2
  while (i >= 0 && a[i] >= a[i + 1]) i--
  if (i >= 0) {
    let j = a.length - 1
    while (a[j] <= a[i]) j--
    ;[a[i], a[j]] = [a[j], a[i]]
  }
  return [...a.slice(0, i + 1), ...a.slice(i + 1).reverse()]
}
`,
    visible: [
      [[[1, 2, 3]], [1, 3, 2]],
      [[[3, 2, 1]], [1, 2, 3]],
    ],
    hidden: [
      [[[1, 1, 5]], [1, 5, 1]],
      [[[1]], [1]],
      [[[1, 3, 2]], [2, 1, 3]],
      [[[2, 3, 1]], [3, 1, 2]],
      [[[1, 5, 8, 4, 7, 6, 5, 3, 1]], [1, 5, 8, 5, 1, 3, 4, 6, 7]],
    ],
  },
  {
    slug: 'decode-ways',
    difficulty: 5,
    fn: 'decode_ways',
    params: ['s'],
    statement:
      'A message of capital letters was encoded as digits with A=1, B=2, …, Z=26 and the digits written one after the other. Return the number of ways the non-empty digit string `s` can be decoded (0 if it cannot be decoded at all).',
    py: `def decode_ways(s):
    prev, cur = 1, 1 if s[0] != '0' else 0
    for i in range(1, len(s)):
        nxt = cur if s[i] != '0' else 0
        if 10 <= int(s[i - 1:i + 1]) <= 26:
            nxt += prev
        prev, cur = cur, nxt
    return cur
`,
    js: `function decodeWays(s) {
  const ways = [1]
  for (let i = 1; i <= s.length; i++) {
    let w = s[i - 1] !== '0' ? ways[i - 1] : 0
    const two = Number(s.slice(i - 2, i))
    if (i >= 2 && two >= 10 && two <= 26) w += ways[i - 2]
    ways.push(w)
  }
  return ways[s.length]
}
`,
    visible: [
      [['12'], 2],
      [['226'], 3],
    ],
    hidden: [
      [['0'], 0],
      [['06'], 0],
      [['10'], 1],
      [['11106'], 2],
      [['1111111111'], 89],
      [['27'], 1],
      [['100'], 0],
    ],
  },
  {
    slug: 'word-break',
    difficulty: 5,
    fn: 'word_break',
    params: ['s', 'words'],
    statement:
      'Return {True} if the non-empty string `s` can be split into a sequence of one or more words from the {list} `words` (a word may be used more than once), else {False}.',
    py: `def word_break(s, words):
    ok = [True] + [False] * len(s)
    for end in range(1, len(s) + 1):
        ok[end] = any(ok[end - len(w)] and s[end - len(w):end] == w for w in words if len(w) <= end)
    return ok[-1]
`,
    js: `function wordBreak(s, words) {
  const ok = [true]
  for (let end = 1; end <= s.length; end++)
    ok[end] = words.some((w) => w.length <= end && ok[end - w.length] && s.slice(end - w.length, end) === w)
  return ok[s.length]
}
`,
    visible: [
      [['leetcode', ['leet', 'code']], true],
      [['catsandog', ['cats', 'dog', 'sand', 'and', 'cat']], false],
    ],
    hidden: [
      [['applepenapple', ['apple', 'pen']], true],
      [['aaaaaaa', ['aaaa', 'aaa']], true],
      [['ab', ['a', 'c']], false],
      [['cars', ['car', 'ca', 'rs']], true],
    ],
  },
  {
    slug: 'lcs-length',
    difficulty: 5,
    fn: 'lcs_length',
    params: ['a', 'b'],
    statement: 'Return the length of the longest common subsequence of the strings `a` and `b` (characters in order, not necessarily next to each other).',
    py: `def lcs_length(a, b):
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if ca == cb else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]
`,
    js: `function lcsLength(a, b) {
  let prev = Array(b.length + 1).fill(0)
  for (const ca of a) {
    const cur = [0]
    for (let j = 1; j <= b.length; j++) cur.push(ca === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]))
    prev = cur
  }
  return prev[b.length]
}
`,
    visible: [
      [['abcde', 'ace'], 3],
      [['abc', 'def'], 0],
    ],
    hidden: [
      [['', ''], 0],
      [['abc', 'abc'], 3],
      [['AGGTAB', 'GXTXAYB'], 4],
      [['bl', 'yby'], 1],
      [['abcdgh', 'aedfhr'], 3],
    ],
  },
  {
    slug: 'trap-rain-water',
    difficulty: 5,
    fn: 'trap_rain_water',
    params: ['heights'],
    statement: 'The {list} `heights` gives the heights of bars of width 1 standing side by side. Return how many units of rain water stay trapped between the bars.',
    py: `def trap_rain_water(heights):
    total = 0
    for i, h in enumerate(heights):
        total += max(0, min(max(heights[:i + 1]), max(heights[i:])) - h)
    return total
`,
    js: `function trapRainWater(heights) {
  let total = 0
  heights.forEach((h, i) => {
    const level = Math.min(Math.max(...heights.slice(0, i + 1)), Math.max(...heights.slice(i)))
    total += Math.max(0, level - h)
  })
  return total
}
`,
    visible: [
      [[[0, 1, 0, 2, 1, 0, 1, 3, 2, 1, 2, 1]], 6],
      [[[4, 2, 0, 3, 2, 5]], 9],
    ],
    hidden: [
      [[[]], 0],
      [[[1, 2, 3]], 0],
      [[[3, 0, 3]], 3],
      [[[5, 4, 1, 2]], 1],
      [[[2, 0, 2, 0, 2]], 4],
    ],
  },
]
