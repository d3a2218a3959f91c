/// Every event of SPEC 3, typed.
public enum SalesEvent: Sendable, Equatable {
  case customerRegistered(CustomerRegistered)
  case productDefined(ProductDefined)
  case repRegistered(RepRegistered)
  case targetSet(TargetSet)
  case alertRuleSet(AlertRuleSet)
  case campaignCostRecorded(CampaignCostRecorded)
  case leadCreated(LeadCreated)
  case leadStageChanged(LeadStageChanged)
  case activityLogged(ActivityLogged)
  case quoteIssued(QuoteIssued)
  case orderConfirmed(OrderConfirmed)
  case stockReserved(StockReserved)
  case orderCancelled(OrderCancelled)
  case reservationReleased(ReservationReleased)
  case shipped(Shipped)
  case stockReceived(StockReceived)
  case stockAdjusted(StockAdjusted)
  case purchaseOrderPlaced(PurchaseOrderPlaced)
  case returnReceived(ReturnReceived)
  case invoiceIssued(InvoiceIssued)
  case paymentReceived(PaymentReceived)
  case paymentMatched(PaymentMatched)
  case creditNoteIssued(CreditNoteIssued)
  case orderCostRecorded(OrderCostRecorded)
  case serviceCaseOpened(ServiceCaseOpened)
  case serviceCaseClosed(ServiceCaseClosed)

  /// A primary event as `append` decides it: its data brought to the current version by the
  /// standard upcaster, then decoded. The import's reading thread calls this ahead of the
  /// appending one; both must get the same value, so both go through here.
  public init(primary e: NewEvent, digits: Int) throws(EventInputError) {
    let upcaster = Upcaster.standard
    if upcaster.isIdentity(at: e.v) {
      try self.init(type: e.type, data: e.data, digits: digits)
    } else {
      try self.init(type: e.type, data: try upcaster.upcast(type: e.type, v: e.v, data: e.data), digits: digits)
    }
  }

  /// Decodes shape-checked `data` of `type` (current version).
  public init(type: String, data: JSONObject, digits: Int) throws(EventInputError) {
    try self.init(type: type, reader: DataReader(data, digits: digits))
  }

  /// Decodes shape-checked data of `type` (current version) through `reader`: an object, or a
  /// record's tape (`EventRecordReader.fastEvent`).
  init(type: String, reader: DataReader) throws(EventInputError) {
    func p<P: EventPayload>(_: P.Type) throws(EventInputError) -> P { try P(reading: DataReaderBox(r: reader)) }
    switch type {
    case CustomerRegistered.type: self = .customerRegistered(try p(CustomerRegistered.self))
    case ProductDefined.type: self = .productDefined(try p(ProductDefined.self))
    case RepRegistered.type: self = .repRegistered(try p(RepRegistered.self))
    case TargetSet.type: self = .targetSet(try p(TargetSet.self))
    case AlertRuleSet.type: self = .alertRuleSet(try p(AlertRuleSet.self))
    case CampaignCostRecorded.type: self = .campaignCostRecorded(try p(CampaignCostRecorded.self))
    case LeadCreated.type: self = .leadCreated(try p(LeadCreated.self))
    case LeadStageChanged.type: self = .leadStageChanged(try p(LeadStageChanged.self))
    case ActivityLogged.type: self = .activityLogged(try p(ActivityLogged.self))
    case QuoteIssued.type: self = .quoteIssued(try p(QuoteIssued.self))
    case OrderConfirmed.type: self = .orderConfirmed(try p(OrderConfirmed.self))
    case StockReserved.type: self = .stockReserved(try p(StockReserved.self))
    case OrderCancelled.type: self = .orderCancelled(try p(OrderCancelled.self))
    case ReservationReleased.type: self = .reservationReleased(try p(ReservationReleased.self))
    case Shipped.type: self = .shipped(try p(Shipped.self))
    case StockReceived.type: self = .stockReceived(try p(StockReceived.self))
    case StockAdjusted.type: self = .stockAdjusted(try p(StockAdjusted.self))
    case PurchaseOrderPlaced.type: self = .purchaseOrderPlaced(try p(PurchaseOrderPlaced.self))
    case ReturnReceived.type: self = .returnReceived(try p(ReturnReceived.self))
    case InvoiceIssued.type: self = .invoiceIssued(try p(InvoiceIssued.self))
    case PaymentReceived.type: self = .paymentReceived(try p(PaymentReceived.self))
    case PaymentMatched.type: self = .paymentMatched(try p(PaymentMatched.self))
    case CreditNoteIssued.type: self = .creditNoteIssued(try p(CreditNoteIssued.self))
    case OrderCostRecorded.type: self = .orderCostRecorded(try p(OrderCostRecorded.self))
    case ServiceCaseOpened.type: self = .serviceCaseOpened(try p(ServiceCaseOpened.self))
    case ServiceCaseClosed.type: self = .serviceCaseClosed(try p(ServiceCaseClosed.self))
    default: throw EventInputError(field: "type", "unknown event type '\(type)'")
    }
  }

  public var payload: any EventPayload {
    switch self {
    case .customerRegistered(let p): p
    case .productDefined(let p): p
    case .repRegistered(let p): p
    case .targetSet(let p): p
    case .alertRuleSet(let p): p
    case .campaignCostRecorded(let p): p
    case .leadCreated(let p): p
    case .leadStageChanged(let p): p
    case .activityLogged(let p): p
    case .quoteIssued(let p): p
    case .orderConfirmed(let p): p
    case .stockReserved(let p): p
    case .orderCancelled(let p): p
    case .reservationReleased(let p): p
    case .shipped(let p): p
    case .stockReceived(let p): p
    case .stockAdjusted(let p): p
    case .purchaseOrderPlaced(let p): p
    case .returnReceived(let p): p
    case .invoiceIssued(let p): p
    case .paymentReceived(let p): p
    case .paymentMatched(let p): p
    case .creditNoteIssued(let p): p
    case .orderCostRecorded(let p): p
    case .serviceCaseOpened(let p): p
    case .serviceCaseClosed(let p): p
    }
  }

  public var type: String { Swift.type(of: payload).type }

  public func data(digits: Int) -> JSONObject { payload.data(digits: digits) }
}
