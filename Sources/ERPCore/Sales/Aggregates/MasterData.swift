/// Master data: customers, products, reps (upserted), campaign costs and targets.
/// Its `decide` takes the primary events it owns; its `evolve` folds what changes its records.
public enum MasterDataDecider: SalesAggregate {
  public static func decide(_ event: SalesEvent, _ ctx: DecideContext, _ s: SalesState) throws -> [SalesEvent]? {
    switch event {
    case .customerRegistered, .productDefined, .repRegistered, .campaignCostRecorded:
      // Master data is upserted: registering an id again changes it from then on; history keeps
      // what each event said at its time.
      return [event]

    case .targetSet(let e):
      try checkTarget(e, ctx, s)
      return [event]

    default: return nil
    }
  }

  public static func evolve(_ s: SalesState, _ event: SalesEvent, defaultTermsDays: Int64) throws {
    switch event {
    case .customerRegistered(let e):
      var c = try s.get(CustomerState.self, e.customer) ?? CustomerState(region: e.region, channel: e.channel, tier: e.tier)
      (c.region, c.channel, c.tier) = (e.region, e.channel, e.tier)
      s.put(e.customer, c)

    case .productDefined(let e):
      s.put(e.sku, ProductState(line: e.line, listPrice: e.listPrice, unitCost: e.unitCost))

    case .repRegistered(let e):
      s.put(e.rep, RepState(team: e.team, region: e.region))

    default: break
    }
  }

  static func checkTarget(_ e: TargetSet, _ ctx: DecideContext, _ s: SalesState) throws {
    if e.scope == "company" {
      if e.id != nil { throw DomainError.invalid(field: "data.id", "a company target takes no id") }
    } else {
      guard let id = e.id else { throw DomainError.invalid(field: "data.id", "a \(e.scope) target needs an id") }
      if e.scope == "rep" { _ = try s.require(RepState.self, id, "rep") }
    }
    switch e.metric {
    case "revenue", "gross_margin", "collections":
      guard let v = e.value.stringValue, (try? Money.parse(v, digits: ctx.digits)) != nil else {
        throw DomainError.invalid(
          field: "data.value", "a \(e.metric) target is an amount with at most \(ctx.digits) decimals, e.g. \"50000.00\"")
      }
    case "collection_rate":
      guard let v = e.value.stringValue, Rate(v) != nil else {
        throw DomainError.invalid(field: "data.value", "a collection_rate target is a rate between 0 and 1, e.g. \"0.85\"")
      }
    default:
      guard e.value.intValue != nil else {
        throw DomainError.invalid(field: "data.value", "a \(e.metric) target is a whole number")
      }
    }
  }
}
