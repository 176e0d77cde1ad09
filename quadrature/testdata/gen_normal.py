# Reference values of the standard normal CDF and density for normal_test.go.
# Run: python3 gen_normal.py (needs mpmath).
import mpmath as mp

mp.mp.dps = 40
xs = [i / 8 for i in range(-38 * 8, 9 * 8 + 1)]
xs += [-38.4, -37.5, -20.3, -10.7, -1.0000001, -0.9999999, -1e-3, 1e-10, 0.7071067811865476]
with open("normal.txt", "w") as out:
    out.write("# x Psi(x) phi(x) to 20 significant digits\n")
    for x in sorted(set(xs)):
        X = mp.mpf(x)
        out.write("%r %s %s\n" % (x, mp.nstr(mp.ncdf(X), 20), mp.nstr(mp.npdf(X), 20)))
