/// The CSV columns of one primary event type: `at` (required), `key` and `v` (optional), the
/// fields of its `data` by name, and for types with order lines the line fields by their plain
/// names (`sku`, `qty`, `unit_price`, `discount`), one row per line.
public struct CSVLayout: Sendable {
  /// What a column feeds.
  public enum Role: Sendable, Equatable {
    /// `at`, `key` or `v` of the envelope.
    case envelope
    /// A field of `data`.
    case field
    /// A field of each line of `data.lines` (one row per line).
    case lineField
  }

  public struct Column: Sendable, Equatable {
    public var name: String
    public var required: Bool
    public var role: Role
    /// The schema kind of a `data` or line field; nil for the envelope columns.
    public var kind: EventCatalog.Kind?
  }

  /// The event type.
  public let type: String
  /// Every column the type takes, in documentation order (store-written fields excluded).
  public let columns: [Column]
  /// For types with lines: the column whose value gathers rows into one event (`order` for
  /// OrderConfirmed, `shipment` for Shipped, `quote` for QuoteIssued).
  public let groupBy: String?
  /// The name of the lines field in `data` (`lines`).
  public let linesField: String?
  /// Fields the store writes (`cogs`), refused as columns.
  public let storeWritten: Set<String>

  /// The columns that gather the rows of one event, by type; any other type with lines groups by
  /// its first field.
  static let groupColumns = ["OrderConfirmed": "order", "QuoteIssued": "quote", "Shipped": "shipment"]

  /// The layout of `type`, a primary event of the catalogue.
  /// - Throws: for an unknown type (listing the primary ones) or a derived one (use restore).
  public init(type: String) throws(EventInputError) {
    guard let schema = EventCatalog.schema(for: type) else {
      let lower = type.lowercased()
      let near = EventCatalog.schemas.first { !$0.derived && $0.type.lowercased() == lower }
      let hint = near.map { " (did you mean '\($0.type)'?)" } ?? ""
      throw EventInputError(
        field: nil,
        "unknown event type '\(type)'\(hint); CSV import takes one of: "
          + Self.primaryTypes.joined(separator: ", "))
    }
    guard !schema.derived else {
      throw EventInputError(
        field: nil,
        "\(type) is derived by the store from a primary event and cannot be imported;"
          + " to load a whole export use 'erpctl restore'")
    }
    self.type = type
    var columns: [Column] = [
      Column(name: "at", required: true, role: .envelope, kind: nil),
      Column(name: "key", required: false, role: .envelope, kind: nil),
      Column(name: "v", required: false, role: .envelope, kind: nil),
    ]
    var storeWritten: Set<String> = []
    var linesField: String?
    var lineColumns: [Column] = []
    for f in schema.fields {
      if case .lines(let inner) = f.kind {
        linesField = f.name
        for l in inner {
          if l.storeWritten {
            storeWritten.insert(l.name)
          } else {
            lineColumns.append(Column(name: l.name, required: l.required, role: .lineField, kind: l.kind))
          }
        }
      } else if f.storeWritten {
        storeWritten.insert(f.name)
      } else {
        columns.append(Column(name: f.name, required: f.required, role: .field, kind: f.kind))
      }
    }
    self.columns = columns + lineColumns
    self.storeWritten = storeWritten
    self.linesField = linesField
    groupBy = linesField.map { _ in Self.groupColumns[type] ?? columns[3].name }
  }

  /// The primary event types, in catalogue order.
  public static var primaryTypes: [String] {
    EventCatalog.schemas.filter { !$0.derived }.map(\.type)
  }

  /// The column named `name`, if the type takes it.
  public func column(_ name: String) -> Column? {
    columns.first { $0.name == name }
  }
}
