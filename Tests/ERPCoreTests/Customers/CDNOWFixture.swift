import ERPTestSupport
import Foundation

@testable import ERPCore

/// `Fixtures/cdnow/`: the CDNOW sample (2,357 customers, weeks) and the values `lifetimes`
/// computed on it (written by `Fixtures/cdnow/convert.py`).
enum CDNOW {
  struct Row {
    var id: Int
    var x: Double
    var txDays: Double, TDays: Double
    var tx: Double, T: Double
    var monetary: Double

    var customer: BGNBDCustomer { BGNBDCustomer(x: x, tx: tx, T: T) }
    var customerInDays: BGNBDCustomer { BGNBDCustomer(x: x, tx: txDays, T: TDays) }
  }

  struct Reference: Decodable {
    struct BG: Decodable {
      var r, alpha, a, b: Double
      var log_likelihood: Double?
    }
    struct GG: Decodable {
      var p, q, v: Double
      var log_likelihood: Double?
    }
    struct Models: Decodable {
      var bgnbd: BG
      var gamma_gamma: GG
    }
    struct Expected: Decodable { var t, value: Double }
    struct Customer: Decodable {
      var id: Int
      var x, t_x, T, t_x_days, T_days, monetary_value: Double
      var p_alive: Double
      var expected_purchases: [Expected]
      var expected_spend: Double
      var clv_days_12_months_1pct: Double
    }
    struct Hyp: Decodable { var a, b, c, z, value: Double }

    var customers_count: Int
    var repeat_customers_count: Int
    var published: Models
    var lifetimes_fit: Models
    var customers: [Customer]
    var hyp2f1: [Hyp]
  }

  struct BadRow: Error { var line: String }

  static func rows() throws -> [Row] {
    let lines = try Fixtures.lines("cdnow/cdnow_summary.csv")
    return try lines.dropFirst().map { line in
      let f = line.split(separator: ",").compactMap { Double($0) }
      guard f.count == 7 else { throw BadRow(line: line) }
      return Row(
        id: Int(f[0]), x: f[1], txDays: f[2], TDays: f[3], tx: f[4], T: f[5], monetary: f[6])
    }
  }

  static func reference() throws -> Reference {
    try JSONDecoder().decode(Reference.self, from: Data(try Fixtures.bytes("cdnow/reference.json")))
  }
}

extension BGNBDParameters {
  init(_ p: CDNOW.Reference.BG) { self.init(r: p.r, alpha: p.alpha, a: p.a, b: p.b) }
}

extension GammaGammaParameters {
  init(_ p: CDNOW.Reference.GG) { self.init(p: p.p, q: p.q, v: p.v) }
}

/// |actual / expected − 1|.
func relativeError(_ actual: Double, _ expected: Double) -> Double {
  expected == 0 ? abs(actual) : abs(actual / expected - 1)
}
