# Reference Gaussian expectations of smooth activations for expect_test.go.
# Run: python3 gen_expect.py (needs mpmath). E[f(√q Z)] by tanh-sinh
# quadrature at 30 digits, split at 0 and at multiples of the scale of f.
import mpmath as mp

mp.mp.dps = 30
fs = {
    "tanh2": lambda u: mp.tanh(u) ** 2,
    "sech4": lambda u: mp.sech(u) ** 4,
    "tanh_shift": lambda u: mp.tanh(u + mp.mpf("0.3")),
    "softplus": lambda u: mp.log1p(mp.exp(u)) if u < 0 else u + mp.log1p(mp.exp(-u)),
}
with open("expect.txt", "w") as out:
    out.write("# name q E[f(sqrt(q) Z)] to 20 significant digits\n")
    for name, f in fs.items():
        for q in [1e-4, 0.01, 0.1, 0.5, 1.0, 2.0, 4.0, 25.0, 100.0, 1e4]:
            s = mp.sqrt(mp.mpf(q))
            g = lambda z: f(s * z) * mp.npdf(z)
            pts = sorted(set([-14, 14, 0] + [m / s for m in (-3, -1, -0.3, 0.3, 1, 3) if abs(m / s) < 14]))
            v = mp.quad(g, pts)
            out.write("%s %r %s\n" % (name, q, mp.nstr(v, 20)))
