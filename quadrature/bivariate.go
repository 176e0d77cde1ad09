package quadrature

import "math"

// BivariateDensity returns the standard bivariate normal density p2(x, y; ρ)
// for |ρ| < 1:
//
//	p2 = exp(-(x² - 2ρxy + y²)/(2(1-ρ²))) / (2π√(1-ρ²)).
//
// 1-ρ² is formed as (1-ρ)(1+ρ), and the quadratic form as a sum of
// non-negative terms ((x-y)² + 2(1-ρ)xy when ρ and xy are positive, and
// likewise), so that nothing cancels as |ρ| → 1 and the result is good to a
// few ulps of its exponent (TestBivariateDensity). At ρ = ±1 it returns the
// limit: 0 off the line y = ±x and +Inf on it. |ρ| > 1 or NaN gives NaN.
func BivariateDensity(x, y, rho float64) float64 {
	if !(math.Abs(rho) <= 1) {
		return math.NaN()
	}
	switch {
	case rho == 1:
		return degenerateDensity(x - y)
	case rho == -1:
		return degenerateDensity(x + y)
	}
	// The quadratic form x² - 2ρxy + y² as a sum of non-negative terms, so
	// that it keeps its relative accuracy: when ρxy > 0 the middle term
	// cancels against the others, and (x ∓ y)² + 2(1 ∓ ρ)|xy| does not.
	var qf float64
	switch xy := x * y; {
	case rho > 0 && xy > 0:
		qf = (x-y)*(x-y) + 2*(1-rho)*xy
	case rho < 0 && xy < 0:
		qf = (x+y)*(x+y) - 2*(1+rho)*xy
	default:
		qf = x*x + y*y - 2*rho*xy
	}
	e := qf / (2 * (1 - rho) * (1 + rho))
	return math.Exp(-e) / (2 * math.Pi * math.Sqrt((1-rho)*(1+rho)))
}

func degenerateDensity(d float64) float64 {
	if d == 0 {
		return math.Inf(1)
	}
	if math.IsNaN(d) {
		return d
	}
	return 0
}

// gl20 is the rule of both branches of BivariateCDF: Genz (2004) found 20
// Gauss–Legendre points to reach about 1e-15 for the transformed integrands;
// TestBivariateCDFReference measures the error actually achieved.
var gl20x, gl20w = Legendre(20)

// BivariateCDF returns Φ2(h, k; ρ) = P(X ≤ h, Y ≤ k) for standard normals X,
// Y with correlation ρ ∈ [-1, 1].
//
// The method is that of Drezner & Wesolowsky (1990) as refined by Genz
// (2004, "Numerical computation of rectangular bivariate and trivariate
// normal and t probabilities"), re-derived here:
//
//   - |ρ| < 0.925: Plackett's identity ∂Φ2/∂ρ = p2 integrated from 0 in
//     θ = arcsin r, Φ2 = Ψ(h)Ψ(k) + (1/2π)∫_0^{arcsin ρ}
//     exp(-(h² - 2hk sinθ + k²)/(2cos²θ)) dθ, smooth in θ, by 20-point
//     Gauss–Legendre.
//   - ρ ≥ 0.925: from ρ = 1 downwards, Φ2 = Ψ(min(h,k)) - ∫_ρ^1 p2 dr.
//     With x = √(1-r²) the integrand becomes (1/2π)exp(-(h-k)²/(2x²))·
//     exp(-hk/(1+r))/r, whose second factor is e^{-hk/2}(1 + c x² + c d x⁴
//   - O(x⁶)), c = (4-hk)/8, d = (12-hk)/16. The three leading terms are
//     integrated in closed form (through Ψ), the O(x⁶) rest by 20-point
//     Gauss–Legendre on [0, √(1-ρ²)].
//   - ρ ≤ -0.925: Φ2(h,k;ρ) = Ψ(h) - Φ2(h,-k;-ρ).
//
// ρ = ±1 give the limits Ψ(min(h,k)) and max(0, Ψ(h) - Ψ(-k)); ±Inf
// arguments give the marginal limits. The absolute error is below 1e-15
// (TestBivariateCDFReference); |ρ| > 1 or a NaN argument gives NaN.
func BivariateCDF(h, k, rho float64) float64 {
	switch {
	case math.IsNaN(h) || math.IsNaN(k) || !(math.Abs(rho) <= 1):
		return math.NaN()
	case math.IsInf(h, -1) || math.IsInf(k, -1):
		return 0
	case math.IsInf(h, 1):
		return NormalCDF(k)
	case math.IsInf(k, 1):
		return NormalCDF(h)
	}
	switch {
	case rho == 1:
		return NormalCDF(min(h, k))
	case rho == -1:
		return normalMass(-k, h)
	case rho >= 0.925:
		return NormalCDF(min(h, k)) - upperPlackett(h, k, rho)
	case rho <= -0.925:
		// P(X ≤ h, Y ≤ k) = P(X ≤ h) - P(X ≤ h, -Y < -k), corr(X,-Y) = -ρ.
		return normalMass(-k, h) + upperPlackett(h, -k, -rho)
	}
	return NormalCDF(h)*NormalCDF(k) + arcsinPlackett(h, k, rho)
}

// arcsinPlackett returns ∫_0^ρ p2(h, k; r) dr for |ρ| < 0.925 in the
// variable θ = arcsin r.
func arcsinPlackett(h, k, rho float64) float64 {
	if rho == 0 {
		return 0
	}
	hs := (h*h + k*k) / 2
	hk := h * k
	th := math.Asin(rho)
	sum := 0.0
	for i, x := range gl20x {
		sn := math.Sin(th * (1 + x) / 2)
		// -(h² - 2hk s + k²)/(2cos²θ), with cos²θ = (1-s)(1+s).
		sum += gl20w[i] * math.Exp((sn*hk-hs)/((1-sn)*(1+sn)))
	}
	return sum * th / 2 / (2 * math.Pi)
}

// upperPlackett returns ∫_ρ^1 p2(h, k; r) dr for 0.925 ≤ ρ < 1.
func upperPlackett(h, k, rho float64) float64 {
	hk := h * k
	as := (1 - rho) * (1 + rho) // a² = 1 - ρ²
	a := math.Sqrt(as)
	bs := (h - k) * (h - k)
	b := math.Abs(h - k)
	c := (4 - hk) / 8
	d := (12 - hk) / 16
	// Closed part: e^{-hk/2} ∫_0^a e^{-bs/(2x²)}(1 + c x² + c d x⁴) dx with
	// I_n = ∫_0^a x^{2n} e^{-bs/(2x²)} dx, I_0 = aE - b√(2π)Ψ(-b/a),
	// (2n+1) I_n = a^{2n+1} E - bs I_{n-1}, E = e^{-bs/(2a²)}. The factor
	// e^{-hk/2} is folded into each exponential: T = e^{-hk/2} b√(2π)Ψ(-b/a)
	// and A = e^{-hk/2} a E. For hk < -160, bs ≥ -4hk > 640 makes every
	// term below e^{-2000} (T included), so T is dropped there rather
	// than overflow e^{-hk/2}.
	var t float64
	if hk > -160 && b > 0 {
		t = math.Exp(-hk/2) * b * math.Sqrt(2*math.Pi) * NormalCDF(-b/a)
	}
	A := a * math.Exp(-(bs/as+hk)/2)
	i0 := A - t
	i1 := (as*A - bs*i0) / 3
	i2 := (as*as*A - bs*i1) / 5
	closed := i0 + c*i1 + c*d*i2
	// The O(x⁶) remainder, x ∈ (0, a].
	rest := 0.0
	for i, xi := range gl20x {
		x := a * (1 + xi) / 2
		xs := x * x
		r := math.Sqrt((1 - x) * (1 + x))
		ex := -(bs/xs + hk) / 2
		if ex < -745 {
			continue
		}
		// exp(-hk(1-r)/(2(1+r)))/r with 1-r = x²/(1+r).
		br := math.Exp(-hk*xs/(2*(1+r)*(1+r))) / r
		rest += gl20w[i] * math.Exp(ex) * (br - (1 + c*xs*(1+d*xs)))
	}
	rest *= a / 2
	return (closed + rest) / (2 * math.Pi)
}
