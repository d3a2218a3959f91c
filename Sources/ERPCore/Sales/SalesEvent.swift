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
    guard let decode = Self.decoders.value(type) else {
      throw EventInputError(field: "type", "unknown event type '\(type)'")
    }
    self = try decode(reader)
  }

  /// Each type's decoder, by name: one hash of the name, where a `switch` over the names
  /// compared it with each type before its own (a dozen `String` comparisons for the common
  /// types: 124 M instructions of the import's reading thread on 200,000 records, a
  /// `Dictionary`'s SipHash 60 M; `IDTable`'s hash less).
  private typealias Decoder = @Sendable (DataReader) throws(EventInputError) -> SalesEvent
  private static let decoders = IDTable<Decoder>([
    (CustomerRegistered.type, { @Sendable (r: DataReader) throws(EventInputError) in .customerRegistered(try p(CustomerRegistered.self, r)) }),
    (ProductDefined.type, { @Sendable (r: DataReader) throws(EventInputError) in .productDefined(try p(ProductDefined.self, r)) }),
    (RepRegistered.type, { @Sendable (r: DataReader) throws(EventInputError) in .repRegistered(try p(RepRegistered.self, r)) }),
    (TargetSet.type, { @Sendable (r: DataReader) throws(EventInputError) in .targetSet(try p(TargetSet.self, r)) }),
    (AlertRuleSet.type, { @Sendable (r: DataReader) throws(EventInputError) in .alertRuleSet(try p(AlertRuleSet.self, r)) }),
    (CampaignCostRecorded.type, { @Sendable (r: DataReader) throws(EventInputError) in .campaignCostRecorded(try p(CampaignCostRecorded.self, r)) }),
    (LeadCreated.type, { @Sendable (r: DataReader) throws(EventInputError) in .leadCreated(try p(LeadCreated.self, r)) }),
    (LeadStageChanged.type, { @Sendable (r: DataReader) throws(EventInputError) in .leadStageChanged(try p(LeadStageChanged.self, r)) }),
    (ActivityLogged.type, { @Sendable (r: DataReader) throws(EventInputError) in .activityLogged(try p(ActivityLogged.self, r)) }),
    (QuoteIssued.type, { @Sendable (r: DataReader) throws(EventInputError) in .quoteIssued(try p(QuoteIssued.self, r)) }),
    (OrderConfirmed.type, { @Sendable (r: DataReader) throws(EventInputError) in .orderConfirmed(try p(OrderConfirmed.self, r)) }),
    (StockReserved.type, { @Sendable (r: DataReader) throws(EventInputError) in .stockReserved(try p(StockReserved.self, r)) }),
    (OrderCancelled.type, { @Sendable (r: DataReader) throws(EventInputError) in .orderCancelled(try p(OrderCancelled.self, r)) }),
    (ReservationReleased.type, { @Sendable (r: DataReader) throws(EventInputError) in .reservationReleased(try p(ReservationReleased.self, r)) }),
    (Shipped.type, { @Sendable (r: DataReader) throws(EventInputError) in .shipped(try p(Shipped.self, r)) }),
    (StockReceived.type, { @Sendable (r: DataReader) throws(EventInputError) in .stockReceived(try p(StockReceived.self, r)) }),
    (StockAdjusted.type, { @Sendable (r: DataReader) throws(EventInputError) in .stockAdjusted(try p(StockAdjusted.self, r)) }),
    (PurchaseOrderPlaced.type, { @Sendable (r: DataReader) throws(EventInputError) in .purchaseOrderPlaced(try p(PurchaseOrderPlaced.self, r)) }),
    (ReturnReceived.type, { @Sendable (r: DataReader) throws(EventInputError) in .returnReceived(try p(ReturnReceived.self, r)) }),
    (InvoiceIssued.type, { @Sendable (r: DataReader) throws(EventInputError) in .invoiceIssued(try p(InvoiceIssued.self, r)) }),
    (PaymentReceived.type, { @Sendable (r: DataReader) throws(EventInputError) in .paymentReceived(try p(PaymentReceived.self, r)) }),
    (PaymentMatched.type, { @Sendable (r: DataReader) throws(EventInputError) in .paymentMatched(try p(PaymentMatched.self, r)) }),
    (CreditNoteIssued.type, { @Sendable (r: DataReader) throws(EventInputError) in .creditNoteIssued(try p(CreditNoteIssued.self, r)) }),
    (OrderCostRecorded.type, { @Sendable (r: DataReader) throws(EventInputError) in .orderCostRecorded(try p(OrderCostRecorded.self, r)) }),
    (ServiceCaseOpened.type, { @Sendable (r: DataReader) throws(EventInputError) in .serviceCaseOpened(try p(ServiceCaseOpened.self, r)) }),
    (ServiceCaseClosed.type, { @Sendable (r: DataReader) throws(EventInputError) in .serviceCaseClosed(try p(ServiceCaseClosed.self, r)) }),
  ] as [(String, Decoder)])

  private static func p<P: EventPayload>(_: P.Type, _ r: DataReader) throws(EventInputError) -> P {
    try P(reading: DataReaderBox(r: r))
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
