# Reference values of the bivariate normal density for bivariate_test.go.
# Run: python3 gen_density.py (needs mpmath). Direct formula at 40 digits,
# with ρ the exact binary value of the float64 the test passes.
import mpmath as mp

mp.mp.dps = 40
xs = [-8, -6, -3, -1, -0.1, 0, 0.2, 0.7, 1.7, 3.3, 5, 8]
base = [0.0, 0.05, 0.5, 0.9, 0.925, 0.99] + [1 - 10.0 ** -j for j in (3, 6, 9, 12, 15)]
rhos = sorted(set(base + [-r for r in base]))
with open("density.txt", "w") as out:
    out.write("# x y rho p2(x,y;rho) to 20 significant digits\n")
    for x in xs:
        for y in xs:
            for r in rhos:
                X, Y, R = mp.mpf(x), mp.mpf(y), mp.mpf(r)
                s2 = (1 - R) * (1 + R)
                v = mp.exp(-(X * X - 2 * R * X * Y + Y * Y) / (2 * s2)) / (2 * mp.pi * mp.sqrt(s2))
                if v > mp.mpf(10) ** -300:
                    out.write("%r %r %r %s\n" % (float(x), float(y), r, mp.nstr(v, 20)))
