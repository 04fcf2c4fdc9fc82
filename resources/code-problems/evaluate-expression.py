import re

def evaluate_expression(expr):
    tokens = re.findall(r'\d+|[-+*/()]', expr)
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
