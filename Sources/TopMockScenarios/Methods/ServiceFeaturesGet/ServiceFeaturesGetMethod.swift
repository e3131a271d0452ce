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

    static func recorded(_ answer: RecordedAnswer) -> RecordedObservation { .derived }

    struct Model: ResponseFields {
        let features: [StoreFeature]

        func write(to writer: inout ResponseWriter) {
            let items = features.map { feature in
                ResponseValue.object(["code": .string(feature.code), "name": .string(feature.name), "prompt": .string(feature.prompt)])
            }
            writer.field("available_features", .list(itemName: "available_feature", items))
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
