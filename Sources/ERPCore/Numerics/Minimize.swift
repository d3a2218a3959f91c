import Foundation

/// The result of a minimisation: the best point found, its value, and whether the simplex
/// converged (its values agree within the tolerance) before the iteration limit.
public struct MinimizeResult: Sendable, Equatable {
  public var x: [Double]
  public var value: Double
  public var iterations: Int
  public var converged: Bool
}

/// Derivative-free minimisation for the model fits (BG/NBD, Gamma-Gamma, exponential smoothing).
///
/// Nelder–Mead (standard coefficients 1, 2, ½, ½) on box-bounded parameters: each bounded
/// coordinate is mapped to an unbounded one (logistic for `[lower, upper]`, exponential for
/// `[lower, ∞)`), so every point the simplex visits is feasible and the objective is never
/// called outside its bounds. Non-finite objective values count as +∞, so a model may return
/// `.infinity` (or NaN) for a point it cannot evaluate.
public enum Minimize {
  /// Minimises `f` from `start`, keeping every coordinate within `lower[i] ... upper[i]`
  /// (`-.infinity` / `.infinity` for an open side). `start` is moved strictly inside the bounds.
  public static func nelderMead(
    _ f: ([Double]) -> Double, start: [Double], lower: [Double], upper: [Double],
    tolerance: Double = 1e-10, maxIterations: Int = 5000
  ) -> MinimizeResult {
    let n = start.count
    precondition(n > 0 && lower.count == n && upper.count == n, "bounds must match the start")
    let box = Box(lower: lower, upper: upper)
    func g(_ z: [Double]) -> Double {
      let v = f(box.point(z))
      return v.isFinite ? v : .infinity
    }
    let z0 = box.unbounded(start)
    // Initial simplex: a step of 5 % of the coordinate (or 0.25 near zero) along each axis.
    var simplex: [[Double]] = [z0]
    for i in 0..<n {
      var z = z0
      z[i] += z[i] == 0 ? 0.25 : 0.05 * abs(z[i]) + 0.1
      simplex.append(z)
    }
    var values = simplex.map(g)
    var iterations = 0
    var converged = false
    while iterations < maxIterations {
      iterations += 1
      let order = values.indices.sorted { values[$0] < values[$1] }
      simplex = order.map { simplex[$0] }
      values = order.map { values[$0] }
      let best = values[0], worst = values[n]
      if worst.isFinite, abs(worst - best) <= tolerance * (abs(best) + tolerance) {
        let spread = (0..<n).map { i in simplex.map { $0[i] }.max()! - simplex.map { $0[i] }.min()! }.max()!
        if spread < 1e-7 {
          converged = true
          break
        }
      }
      var centroid = [Double](repeating: 0, count: n)
      for p in simplex.dropLast() { for i in 0..<n { centroid[i] += p[i] / Double(n) } }
      func along(_ t: Double) -> [Double] { (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) } }
      let reflected = along(-1)
      let fr = g(reflected)
      if fr < values[0] {
        let expanded = along(-2)
        let fe = g(expanded)
        if fe < fr { (simplex[n], values[n]) = (expanded, fe) } else { (simplex[n], values[n]) = (reflected, fr) }
      } else if fr < values[n - 1] {
        (simplex[n], values[n]) = (reflected, fr)
      } else {
        let outside = fr < values[n]
        let contracted = along(outside ? -0.5 : 0.5)
        let fc = g(contracted)
        if fc < (outside ? fr : values[n]) {
          (simplex[n], values[n]) = (contracted, fc)
        } else {
          // Shrink towards the best point.
          for j in 1...n {
            simplex[j] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[j][$0] - simplex[0][$0]) }
            values[j] = g(simplex[j])
          }
        }
      }
    }
    let i = values.indices.min { values[$0] < values[$1] }!
    return MinimizeResult(x: box.point(simplex[i]), value: values[i], iterations: iterations, converged: converged)
  }

  /// Runs `nelderMead` from each start, restarts once from each result (Nelder–Mead can stall on
  /// a ridge), and returns the best. Nil when no start reaches a finite value.
  public static func multiStart(
    _ f: ([Double]) -> Double, starts: [[Double]], lower: [Double], upper: [Double],
    tolerance: Double = 1e-10, maxIterations: Int = 5000
  ) -> MinimizeResult? {
    var best: MinimizeResult?
    for s in starts {
      var r = nelderMead(f, start: s, lower: lower, upper: upper, tolerance: tolerance, maxIterations: maxIterations)
      guard r.value.isFinite else { continue }
      let again = nelderMead(f, start: r.x, lower: lower, upper: upper, tolerance: tolerance, maxIterations: maxIterations)
      if again.value <= r.value { r = MinimizeResult(x: again.x, value: again.value, iterations: r.iterations + again.iterations, converged: again.converged) }
      if best == nil || r.value < best!.value { best = r }
    }
    return best
  }

  /// The map between a box and unbounded coordinates.
  struct Box {
    var lower, upper: [Double]

    func point(_ z: [Double]) -> [Double] {
      z.indices.map { i in
        let (l, u) = (lower[i], upper[i])
        switch (l.isFinite, u.isFinite) {
        case (true, true): return l + (u - l) / (1 + exp(-z[i]))
        case (true, false): return l + exp(z[i])
        case (false, true): return u - exp(-z[i])
        case (false, false): return z[i]
        }
      }
    }

    func unbounded(_ x: [Double]) -> [Double] {
      x.indices.map { i in
        let (l, u) = (lower[i], upper[i])
        switch (l.isFinite, u.isFinite) {
        case (true, true):
          let w = u - l
          let t = min(max((x[i] - l) / w, 1e-6), 1 - 1e-6)
          return log(t / (1 - t))
        case (true, false): return log(max(x[i] - l, 1e-9))
        case (false, true): return -log(max(u - x[i], 1e-9))
        case (false, false): return x[i]
        }
      }
    }
  }
}
