import ERPCore
import Testing

/// Decoding `data` into typed payloads (`DataReader`): each field found by its name, and a
/// problem named by its path, inside lines too.
@Suite("Typed payloads from data")
struct DataReaderTests {
  @Test func everyFieldIsReadByItsName() throws {
    let data = try jsonObject(
      #"{"allow_backorder":true,"channel":"web","customer":"C-1","lead":"L-1","lines":[{"qty":2,"sku":"A1","unit_price":"5.00"},{"discount":"0.1","qty":3,"sku":"B2","unit_price":"1.50"}],"order":"SO-1","payment_terms_days":45,"promotion":"P","quote":"Q-1","region":"N","rep":"R-1"}"#)
    let o = try OrderConfirmed(data: data, digits: 2)
    #expect(o.order == "SO-1")
    #expect(o.customer == "C-1")
    #expect(o.rep == "R-1")
    #expect(o.channel == "web")
    #expect(o.region == "N")
    #expect(o.lead == "L-1")
    #expect(o.quote == "Q-1")
    #expect(o.promotion == "P")
    #expect(o.paymentTermsDays == 45)
    #expect(o.allowBackorder)
    #expect(o.lines == [
      OrderLine(sku: "A1", qty: 2, unitPrice: Money(minorUnits: 500)),
      OrderLine(sku: "B2", qty: 3, unitPrice: Money(minorUnits: 150), discount: Rate("0.1")),
    ])
    // Absent optional fields are nil, whatever their names sort next to.
    let bare = try OrderConfirmed(
      data: try jsonObject(#"{"customer":"C-1","lines":[{"qty":1,"sku":"A","unit_price":"1.00"}],"order":"SO-2","rep":"R-1"}"#),
      digits: 2)
    #expect(bare.channel == nil && bare.region == nil && bare.lead == nil && bare.quote == nil)
    #expect(bare.paymentTermsDays == nil && !bare.allowBackorder)
  }

  @Test func problemsInsideLinesNameTheLine() throws {
    func error(_ data: String) throws -> EventInputError? {
      let object = try jsonObject(data)
      do throws(EventInputError) {
        _ = try OrderConfirmed(data: object, digits: 2)
        return nil
      } catch { return error }
    }
    let missing = try error(
      #"{"customer":"C-1","lines":[{"qty":1,"sku":"A","unit_price":"1.00"},{"sku":"B","unit_price":"1.00"}],"order":"SO-1","rep":"R-1"}"#)
    #expect(missing?.description == "field 'data.lines[1].qty': is required")
    let money = try error(
      #"{"customer":"C-1","lines":[{"qty":1,"sku":"A","unit_price":"x"}],"order":"SO-1","rep":"R-1"}"#)
    #expect(money?.field == "data.lines[0].unit_price")
    let top = try error(#"{"customer":"C-1","lines":[],"order":"SO-1"}"#)
    #expect(top?.description == "field 'data.rep': is required")
  }
}
