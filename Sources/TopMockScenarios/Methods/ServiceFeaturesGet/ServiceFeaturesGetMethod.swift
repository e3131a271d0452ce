public import TopMockProtocol

/// `alibaba.pos.service.features.get` (APOS服务特性配置获取): the features the shop's store lists
/// (`features` in YAML), in order, as `available_features{available_feature[{code, name,
/// prompt}]}`. Reads only.
enum ServiceFeaturesGetMethod: TOPMethod {
    static let api = APIName(rawValue: "alibaba.pos.service.features.get")
    static let requestParameter: String? = nil
    static let outcomes: [CallOutcome] = [.found, .notFound]

    static func parse(_ parameters: TOPParameters) throws(TOPError) -> ServiceFeaturesGetRequest {
        try ServiceFeaturesGetRequest(parameters: parameters)
    }

    static func answer(
        _ request: ServiceFeaturesGetRequest, context: MethodContext, namespace: inout NamespaceState, state _: inout NoMethodState
    ) -> MethodAnswer {
        guard let store = namespace.store.store(request.shopID, in: context.set) else { return .storeNotFound(request.shopID) }
        return MethodAnswer.success(Model(features: store.features), outcome: .found, status: nil, source: store.source)
    }

    static func nearMiss(_ request: ServiceFeaturesGetRequest, in scope: NearMissScope) -> String? {
        scope.store(request.shopID) == nil ? scope.noStore(request.shopID) : nil
    }

    /// The features the upstream listed: the store's features.
    static func recorded(_ answer: RecordedAnswer) -> RecordedObservation {
        guard let list = answer.successfulModel?["available_features"], let shop = answer.number("get_config_request.shop_id") else {
            return .derived
        }
        // Wrapped twice (`{"available_feature":[…]}`), or a plain array with simplify=true.
        var items: [JSONValue] = []
        if case .object(let wrapped) = list, case .array(let inner)? = wrapped["available_feature"] { items = inner }
        if case .array(let plain) = list { items = plain }
        let features = items.compactMap { item -> StoreFeature? in
            guard case .object(let fields) = item, let code = fields["code"]?.scalarText, let name = fields["name"]?.scalarText else { return nil }
            return StoreFeature(code: code, name: name, prompt: fields["prompt"]?.scalarText ?? "")
        }
        return .storeFeatures(shopID: shop, features)
    }

    struct Model: ResponseFields {
        let features: [StoreFeature]

        func write(to writer: inout ResponseWriter) {
            writer.objects("available_features", itemName: "available_feature", features) { item, feature in
                item.field("code", feature.code)
                item.field("name", feature.name)
                item.field("prompt", feature.prompt)
            }
            writer.field("msg_code", "")
            writer.field("msg_info", "")
            writer.field("success", true)
        }
    }
}

extension ServiceFeaturesGetRequest: MethodCall {
    public var matchRequestID: String? { nil }
    public var matchBuyerID: Int64? { nil }
}
