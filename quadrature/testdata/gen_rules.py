# Reference Gauss–Legendre and Gauss–Hermite (standard normal weight) rules
# at 60 significant digits, for rules_test.go. Run: python3 gen_rules.py
# (needs mpmath). Nodes by Newton's method on the three-term recurrence in
# multiple precision, started from the Chebyshev-like asymptotic guesses.
import mpmath as mp

mp.mp.dps = 60

def legendre(n):
    xs, ws = [], []
    for i in range(n // 2, n):
        # node i (0-based, increasing): cos(π(n - i - 1/4)/(n + 1/2))
        x = mp.cos(mp.pi * (n - i - mp.mpf(1) / 4) / (n + mp.mpf(1) / 2))
        for _ in range(100):
            p0, p1 = mp.mpf(1), x
            for k in range(1, n):
                p0, p1 = p1, ((2 * k + 1) * x * p1 - k * p0) / (k + 1)
            dp = n * (x * p1 - p0) / (x * x - 1)
            dx = p1 / dp
            x -= dx
            if abs(dx) < mp.mpf(10) ** -55:
                break
        p0, p1 = mp.mpf(1), x
        for k in range(1, n):
            p0, p1 = p1, ((2 * k + 1) * x * p1 - k * p0) / (k + 1)
        dp = n * (x * p1 - p0) / (x * x - 1)
        xs.append(x)
        ws.append(2 / ((1 - x * x) * dp * dp))
    return xs, ws

def hermite(n, guess):
    xs, ws = [], []
    for x in guess:
        x = mp.mpf(x)
        for _ in range(100):
            p0, p1 = mp.mpf(0), mp.mpf(1)
            for k in range(n):
                p0, p1 = p1, (x * p1 - mp.sqrt(k) * p0) / mp.sqrt(k + 1)
            dx = p1 / (mp.sqrt(n) * p0)
            x -= dx
            if abs(dx) < mp.mpf(10) ** -55:
                break
        p0, p1 = mp.mpf(0), mp.mpf(1)
        for k in range(n):
            p0, p1 = p1, (x * p1 - mp.sqrt(k) * p0) / mp.sqrt(k + 1)
        xs.append(x)
        ws.append(1 / (n * p0 * p0))
    return xs, ws

def hermite_guess(n):
    # mpmath's Golub–Welsch rule for the weight e^{-x²}, scaled by √2.
    with mp.workdps(30):
        xs, _ = mp.gauss_quadrature(n, "hermite")
        xs = sorted(mp.sqrt(2) * x for x in xs)
    return xs[n // 2:] if n % 2 == 0 else [mp.mpf(0)] + xs[n // 2 + 1:]

with open("rules.txt", "w") as out:
    out.write("# kind n i x w  (upper half of the rule, i = index in the full increasing rule)\n")
    for n in [1, 2, 3, 5, 8, 16, 20, 24, 26, 32, 64, 100, 101, 128, 200, 257]:
        xs, ws = legendre(n)
        for j, (x, w) in enumerate(zip(xs, ws)):
            out.write("L %d %d %s %s\n" % (n, n // 2 + j, mp.nstr(x, 25, min_fixed=1, max_fixed=0), mp.nstr(w, 25)))
    for n in [1, 2, 3, 5, 8, 16, 20, 32, 64, 100, 150, 200, 201]:
        xs, ws = hermite(n, hermite_guess(n))
        for j, (x, w) in enumerate(zip(xs, ws)):
            out.write("H %d %d %s %s\n" % (n, n // 2 + j, mp.nstr(x, 25, min_fixed=1, max_fixed=0), mp.nstr(w, 25)))
