/// The names and categories the generated history uses: regions, channels, lead sources,
/// product lines, reasons, carriers, and the parts of company, person and product names.
enum Vocabulary {
  static let regions = ["east", "south", "north", "central", "west"]
  /// Cities per region, for company names.
  static let cities = [
    ["上海", "杭州", "苏州", "南京", "宁波", "无锡"], ["广州", "深圳", "东莞", "佛山", "厦门", "福州"],
    ["北京", "天津", "青岛", "济南", "石家庄", "大连"], ["武汉", "长沙", "郑州", "合肥", "南昌"],
    ["成都", "重庆", "西安", "昆明", "贵阳"],
  ]
  static let channels = ["direct", "distributor", "online", "retail"]
  /// Share of the existing customer base per channel.
  static let channelMix = [0.40, 0.25, 0.20, 0.15]
  static let tiers = ["A", "B", "C"]

  /// Lead sources, the channel a customer won from each comes through, and how well each
  /// converts (a multiplier on every stage's chance to move on).
  static let sources = ["website", "wechat", "trade_show", "referral", "cold_call", "partner", "walk_in"]
  static let sourceChannel = [2, 2, 0, 0, 0, 1, 3]
  static let sourceMix = [0.24, 0.14, 0.16, 0.14, 0.14, 0.10, 0.08]
  static let sourceQuality = [0.90, 0.85, 1.05, 1.30, 0.75, 1.10, 0.95]
  /// Acquisition cost per won customer, in yuan (median), per source.
  static let sourceCost = [1500.0, 1200.0, 4000.0, 600.0, 900.0, 2500.0, 300.0]
  /// Leads from existing customers (upselling, new projects).
  static let accountSource = "account"

  static let lines = ["pumps", "valves", "fittings", "controls", "instruments"]
  static let linePrefix = ["PMP", "VLV", "FIT", "CTL", "INS"]
  /// Median list price per line, in yuan, and the spread of prices within it.
  static let lineMedianPrice = [2600.0, 360.0, 24.0, 1500.0, 780.0]
  static let linePriceSigma = [0.6, 0.7, 0.8, 0.6, 0.6]
  static let linePackSizes = [[1], [1, 5, 10], [10, 20, 50, 100], [1, 2], [1, 5]]
  static let lineLeadTime = [30, 14, 7, 21, 18]
  static let productWords = [
    ["Centrifugal pump", "Booster pump", "Submersible pump", "Dosing pump", "Circulation pump", "离心泵"],
    ["Ball valve", "Gate valve", "Check valve", "Butterfly valve", "Solenoid valve", "截止阀"],
    ["Elbow 90°", "Tee fitting", "Reducer", "Flange", "Coupling", "管接头"],
    ["Pressure controller", "VFD drive", "PLC module", "Level controller", "Pump control panel", "控制柜"],
    ["Pressure gauge", "Flow meter", "Temperature sensor", "Level transmitter", "pH meter", "流量计"],
  ]
  static let productSizes = [
    ["0.75kW", "1.5kW", "2.2kW", "4kW", "7.5kW", "11kW"], ["DN15", "DN25", "DN40", "DN50", "DN80", "DN100"],
    ["1/2\"", "3/4\"", "1\"", "DN32", "DN50", "DN65"], ["4–20mA", "380V", "220V", "16 I/O", "32 I/O", "Modbus"],
    ["0–1.6MPa", "0–2.5MPa", "DN25", "DN50", "PT100", "RS485"],
  ]

  static let companyWords = [
    "华瑞", "恒通", "鑫达", "永盛", "宏远", "金泰", "博源", "新元", "天成", "中联", "安泰", "汇丰", "瑞丰",
    "德隆", "明辉", "卓越", "盛世", "长虹", "百川", "东方",
  ]
  static let companyTrades = [
    "机电", "工业设备", "自动化", "贸易", "精密制造", "水务工程", "化工", "能源科技", "建材", "环保设备",
    "暖通工程", "食品机械",
  ]
  static let companySuffix = ["有限公司", "股份有限公司", "科技有限公司", "实业有限公司"]
  static let surnames = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "林",
  ]
  static let givenNames = [
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "军", "涛", "明", "超", "丽", "强", "鹏", "华",
    "晓东", "文静", "志强", "海燕",
  ]

  static let activityKinds = ["call", "visit", "email", "meeting"]
  /// Lost reasons and their weights, early in the funnel and from the quote on.
  static let earlyLostReasons = ["no response", "no budget", "not a fit", "duplicate lead"]
  static let earlyLostWeights = [0.40, 0.25, 0.25, 0.10]
  static let lateLostReasons = ["price too high", "chose a competitor", "project postponed", "no budget",
    "delivery time too long"]
  static let lateLostWeights = [0.35, 0.30, 0.15, 0.10, 0.10]

  static let carriers = ["SF Express", "JD Logistics", "ZTO Express", "Deppon", "own truck"]
  static let paymentMethods = ["bank_transfer", "bank_acceptance", "alipay", "wechat_pay"]
  static let paymentMethodMix = [0.68, 0.14, 0.10, 0.08]
  static let cancelReasons = ["customer request", "duplicate order", "credit hold", "project cancelled"]
  static let returnReasons = ["damaged in transit", "defective", "wrong item", "customer changed mind"]
  static let caseKinds = ["complaint", "repair", "inquiry", "feedback"]
  static let caseKindMix = [0.25, 0.25, 0.35, 0.15]
  static let caseTexts = [
    ["Delivery arrived late", "包装破损", "Wrong quantity delivered", "Invoice amount disputed"],
    ["Pump seal leaking", "Controller shows error E04", "阀门关闭不严", "Sensor drifts"],
    ["Asks for installation manual", "询问交货期", "Asks about spare parts", "Asks for a quotation"],
    ["Very satisfied with service", "建议改进包装", "Good delivery speed", "Suggests an online catalogue"],
  ]
  static let resolutions = [
    ["Apologised and credited freight", "Replacement sent", "Explained delivery schedule"],
    ["Repaired on site", "Replaced under warranty", "Remote troubleshooting"],
    ["Information sent", "Quotation sent", "Answered by phone"],
    ["Thanked the customer", "Passed to product team"],
  ]
  static let shrinkReasons = ["stocktake shrinkage", "damaged in warehouse", "sample given away"]
  static let costKinds = ["production", "freight", "commission", "other"]

  /// Seasonal demand per calendar month: a Chinese New Year dip in February and a year-end peak.
  static let monthFactor = [1.00, 0.62, 1.05, 1.00, 0.97, 1.05, 0.92, 0.90, 1.05, 0.95, 1.45, 1.60]
  /// Orders per weekday, Monday first (business customers order little at the weekend).
  static let weekdayFactor = [1.05, 1.05, 1.05, 1.05, 1.00, 0.30, 0.12]
  /// Demand growth per year.
  static let growth = 0.18
}

/// Calendar helpers of the simulation (kept here rather than on `CivilDate`, which others extend).
enum SimCalendar {
  /// 0 = Monday … 6 = Sunday.
  static func weekday(_ d: CivilDate) -> Int { ((Int(d.daysSinceEpoch) + 3) % 7 + 7) % 7 }
  /// `YYYY-MM`.
  static func monthKey(_ d: CivilDate) -> String { String(d.description.prefix(7)) }
}
