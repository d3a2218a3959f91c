/// What `erpctl replenish` knows about one SKU: its stock, its supply terms and its forecast.
public struct ReplenishmentInput: Sendable, Equatable {
  public var sku: String
  public var onHand: Int
  public var reserved: Int
  public var onOrder: Int
  public var leadTimeDays: Int
  public var reviewDays: Int
  /// Orders are placed in whole packs (1 when the product has none).
  public var packSize: Int
  /// Forecast demand per period, the next period first (the point forecasts of
  /// `FittedModel.forecast`). Days beyond the last period take the last period's rate.
  public var forecast: [Double]
  /// σ of the one-step forecast error per period (`FittedModel.sigma`).
  public var sigma: Double
  /// Days in a forecast period: 30.4375 (the mean Gregorian month, 365.25 / 12) for monthly
  /// forecasts, 7 for weekly ones.
  public var periodDays: Double
  /// The probability of not running out in a replenishment cycle (cycle service level).
  public var serviceLevel: Double
  /// Days of cover above which the stock is flagged `overstock`.
  public var overstockDays: Double
  /// Whether the safety stock covers the forecast error over lead time + review period (true,
  /// the textbook periodic-review formula) or over the lead time alone (false, the default:
  /// SPEC 5's formula z × σ × √(lead time); the two agree when `reviewDays` is 0).
  public var protectReviewPeriod: Bool

  public init(
    sku: String, onHand: Int, reserved: Int = 0, onOrder: Int = 0, leadTimeDays: Int,
    reviewDays: Int = 7,
    packSize: Int = 1, forecast: [Double], sigma: Double, periodDays: Double = 30.4375,
    serviceLevel: Double = 0.95, overstockDays: Double = 180, protectReviewPeriod: Bool = false
  ) {
    (self.sku, self.onHand, self.reserved, self.onOrder) = (sku, onHand, reserved, onOrder)
    (self.leadTimeDays, self.reviewDays, self.packSize) = (leadTimeDays, reviewDays, packSize)
    (self.forecast, self.sigma, self.periodDays) = (forecast, sigma, periodDays)
    (self.serviceLevel, self.overstockDays) = (serviceLevel, overstockDays)
    self.protectReviewPeriod = protectReviewPeriod
  }
}

/// What to do about one SKU (the `replenish` columns of SPEC 6).
public struct ReplenishmentLine: Sendable, Equatable {
  public enum Status: String, Sendable, Equatable, Codable {
    case orderNow = "order_now"
    case ok
    case overstock
  }

  public var sku: String
  public var onHand: Int
  public var reserved: Int
  public var onOrder: Int
  public var leadTimeDays: Int
  /// Forecast demand over lead time + review period (unrounded).
  public var demandOverLeadTime: Double
  public var safetyStock: Int
  public var reorderPoint: Int
  public var suggestedQty: Int
  /// Inventory position / forecast daily demand; nil when the forecast demand is 0.
  public var daysOfCover: Double?
  public var status: Status
}

/// The replenishment policy of `erpctl replenish` (SPEC 5): a periodic-review order-up-to
/// policy whose order-up-to level is the reorder point.
public enum Replenishment {
  /// Forecast demand over the next `days` days: whole periods of the forecast plus the
  /// pro-rata share of the next; past the forecast's end the last period's rate continues.
  public static func demand(overDays days: Double, forecast: [Double], periodDays: Double) -> Double
  {
    guard days > 0, periodDays > 0, let last = forecast.last else { return 0 }
    var left = days / periodDays
    var total = 0.0
    var i = 0
    while left > 0 {
      let rate = max(0, i < forecast.count ? forecast[i] : last)
      total += rate * min(1, left)
      left -= 1
      i += 1
    }
    return total
  }

  /// The policy for one SKU:
  /// - position = on hand − reserved + on order;
  /// - demand over lead time = forecast demand over lead time + review days (`demand(overDays:)`);
  /// - safety stock = ⌈z · σ · √(lead time / period days)⌉ (SPEC 5), z = Φ⁻¹(service level),
  ///   never below 0; with `protectReviewPeriod`, ⌈z · σ · √((lead time + review days) / period
  ///   days)⌉, the periodic-review form that also covers the error until the next review;
  /// - reorder point = ⌈demand over lead time⌉ + safety stock;
  /// - suggested qty = reorder point − position when positive, rounded up to whole packs, else 0;
  /// - days of cover = max(0, position) / daily demand, where daily demand = demand over lead
  ///   time / (lead time + review days) (the first period's forecast / period days when both
  ///   are 0); nil when it is 0;
  /// - status `order_now` when something is suggested, else `overstock` when the cover exceeds
  ///   the overstock days (or the position is positive and the forecast demand 0), else `ok`.
  public static func plan(_ input: ReplenishmentInput) -> ReplenishmentLine {
    let position = input.onHand - input.reserved + input.onOrder
    let protection = Double(max(0, input.leadTimeDays) + max(0, input.reviewDays))
    let demand = demand(
      overDays: protection, forecast: input.forecast, periodDays: input.periodDays)
    let z = normalQuantile(min(max(input.serviceLevel, 0), 1))
    let safetyDays = input.protectReviewPeriod ? protection : Double(max(0, input.leadTimeDays))
    let leadPeriods = safetyDays / input.periodDays
    let rawSafety = z * max(0, input.sigma) * leadPeriods.squareRoot()
    let safety = rawSafety.isFinite ? max(0, Int(rawSafety.rounded(.up))) : 0
    let reorderPoint = Int(demand.rounded(.up)) + safety
    let pack = max(1, input.packSize)
    let shortfall = reorderPoint - position
    let suggested = shortfall > 0 ? (shortfall + pack - 1) / pack * pack : 0
    let daily =
      protection > 0
      ? demand / protection : max(0, input.forecast.first ?? 0) / input.periodDays
    let cover = daily > 0 ? Double(max(0, position)) / daily : nil
    // No forecast demand at all: any stock is more than will be needed.
    let over = cover.map { $0 > input.overstockDays } ?? (position > 0)
    let status: ReplenishmentLine.Status = suggested > 0 ? .orderNow : over ? .overstock : .ok
    return ReplenishmentLine(
      sku: input.sku, onHand: input.onHand, reserved: input.reserved, onOrder: input.onOrder,
      leadTimeDays: input.leadTimeDays, demandOverLeadTime: demand, safetyStock: safety,
      reorderPoint: reorderPoint,
      suggestedQty: suggested, daysOfCover: cover, status: status)
  }
}
