import Foundation
import Testing

@testable import ERPCore

@Suite("Customers: 2F1")
struct CustomersHypergeometricTests {
  /// Hard arguments (z up to 0.9999, c − a − b an integer, c < 0, many repeat purchases),
  /// against mpmath with 40 digits (Fixtures/cdnow/reference.json, "hyp2f1").
  @Test func matchesMpmath() throws {
    for h in try CDNOW.reference().hyp2f1 {
      let f = Hypergeometric.f21(h.a, h.b, h.c, h.z).value
      #expect(
        relativeError(f, h.value) < 1e-9,
        "2F1(\(h.a), \(h.b); \(h.c); \(h.z)) = \(f), mpmath \(h.value)")
    }
  }

  @Test(arguments: [0.1, 0.5, 0.9, 0.95, 0.999, 0.999999])
  func logarithm(_ z: Double) {
    // 2F1(1, 1; 2; z) = −ln(1 − z)/z; c − a − b = 0, so z > 0.9 is the interpolated case.
    #expect(relativeError(Hypergeometric.f21(1, 1, 2, z).value, -log1p(-z) / z) < 1e-9)
  }

  @Test(arguments: [0.3, 0.91, 0.97, 0.9999])
  func binomial(_ z: Double) {
    // 2F1(a, b; b; z) = (1 − z)^−a.
    #expect(relativeError(Hypergeometric.f21(0.7, 2.3, 2.3, z).value, pow(1 - z, -0.7)) < 1e-12)
    #expect(relativeError(Hypergeometric.f21(40.5, 3.1, 3.1, z).value, pow(1 - z, -40.5)) < 1e-11)
  }

  @Test(arguments: [0.2, 0.95, 0.999])
  func arcsine(_ s: Double) {
    // 2F1(½, ½; 3/2; s²) = arcsin(s)/s.
    #expect(relativeError(Hypergeometric.f21(0.5, 0.5, 1.5, s * s).value, asin(s) / s) < 1e-12)
  }

  @Test func smoothAcrossAnIntegerGap() {
    // c − a − b passes through 1 (and the edges of the interpolated band, ±1e-4) as c moves
    // by 2e-5 steps; second differences must stay at the curve's own (~1e-10), with no seam.
    let values = (-10...10).map { k in
      Hypergeometric.f21(1.5, 2.5, 5 + Double(k) * 2e-5, 0.97).value
    }
    for i in 1..<(values.count - 1) {
      let curvature = values[i - 1] - 2 * values[i] + values[i + 1]
      #expect(abs(curvature) < 1e-9 * values[i], "step \(i)")
    }
  }

  @Test func poles() {
    #expect(Hypergeometric.f21(1, 1, 0, 0.5).value.isNaN)
    #expect(Hypergeometric.f21(1, 1, -2, 0.95).value.isNaN)
    #expect(Hypergeometric.f21(1, 1, 2, 1).value.isNaN)
    #expect(Hypergeometric.f21(1, 1, 2, 0).value == 1)
  }
}
