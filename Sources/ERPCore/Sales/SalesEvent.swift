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
    self = try decode(DataReaderBox(r: reader))
  }

  /// Each type's decoder, by name: one hash of the name, where a `switch` over the names
  /// compared it with each type before its own (a dozen `String` comparisons for the common
  /// types: 124 M instructions of the import's reading thread on 200,000 records, a
  /// `Dictionary`'s SipHash 60 M; `IDTable`'s hash less).
  private typealias Decoder = @Sendable (borrowing DataReaderBox) throws(EventInputError) -> SalesEvent
  private static let decoders = IDTable<Decoder>([
    (CustomerRegistered.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .customerRegistered(try p(CustomerRegistered.self, b)) }),
    (ProductDefined.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .productDefined(try p(ProductDefined.self, b)) }),
    (RepRegistered.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .repRegistered(try p(RepRegistered.self, b)) }),
    (TargetSet.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .targetSet(try p(TargetSet.self, b)) }),
    (AlertRuleSet.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .alertRuleSet(try p(AlertRuleSet.self, b)) }),
    (CampaignCostRecorded.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .campaignCostRecorded(try p(CampaignCostRecorded.self, b)) }),
    (LeadCreated.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .leadCreated(try p(LeadCreated.self, b)) }),
    (LeadStageChanged.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .leadStageChanged(try p(LeadStageChanged.self, b)) }),
    (ActivityLogged.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .activityLogged(try p(ActivityLogged.self, b)) }),
    (QuoteIssued.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .quoteIssued(try p(QuoteIssued.self, b)) }),
    (OrderConfirmed.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .orderConfirmed(try p(OrderConfirmed.self, b)) }),
    (StockReserved.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .stockReserved(try p(StockReserved.self, b)) }),
    (OrderCancelled.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .orderCancelled(try p(OrderCancelled.self, b)) }),
    (ReservationReleased.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .reservationReleased(try p(ReservationReleased.self, b)) }),
    (Shipped.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .shipped(try p(Shipped.self, b)) }),
    (StockReceived.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .stockReceived(try p(StockReceived.self, b)) }),
    (StockAdjusted.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .stockAdjusted(try p(StockAdjusted.self, b)) }),
    (PurchaseOrderPlaced.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .purchaseOrderPlaced(try p(PurchaseOrderPlaced.self, b)) }),
    (ReturnReceived.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .returnReceived(try p(ReturnReceived.self, b)) }),
    (InvoiceIssued.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .invoiceIssued(try p(InvoiceIssued.self, b)) }),
    (PaymentReceived.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .paymentReceived(try p(PaymentReceived.self, b)) }),
    (PaymentMatched.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .paymentMatched(try p(PaymentMatched.self, b)) }),
    (CreditNoteIssued.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .creditNoteIssued(try p(CreditNoteIssued.self, b)) }),
    (OrderCostRecorded.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .orderCostRecorded(try p(OrderCostRecorded.self, b)) }),
    (ServiceCaseOpened.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .serviceCaseOpened(try p(ServiceCaseOpened.self, b)) }),
    (ServiceCaseClosed.type, { @Sendable (b: borrowing DataReaderBox) throws(EventInputError) in .serviceCaseClosed(try p(ServiceCaseClosed.self, b)) }),
  ] as [(String, Decoder)])

  private static func p<P: EventPayload>(_: P.Type, _ b: borrowing DataReaderBox) throws(EventInputError) -> P {
    try P(reading: b)
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
