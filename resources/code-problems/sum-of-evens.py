def sum_of_evens(nums):
    return sum(x for x in nums if x % 2 == 0)
