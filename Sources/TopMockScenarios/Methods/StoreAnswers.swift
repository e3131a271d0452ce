import TopMockProtocol

/// What the store's methods (`item.get`, `items.subtotal`, `bill.get`, `pay.account.ack`,
/// `service.features.get`) answer alike when a shop has no store.
extension MethodAnswer {
    /// topmock's code for a call naming a shop no scenario gave a store (`stores` in YAML).
    public static let storeNotFoundCode = "STORE_NOT_FOUND"

    static func storeNotFound(_ shopID: Int64) -> MethodAnswer {
        .failure(.notFound, code: storeNotFoundCode, info: "no store for shop \(shopID); declare one under stores (docs/scenarios.md, \"Stores\")")
    }
}

extension NearMissScope {
    /// The store as the namespace sees it.
    func store(_ shopID: Int64) -> Store? { namespace.store.store(shopID, in: set) }

    /// "no store for shop N", with the shops that have one.
    func noStore(_ shopID: Int64) -> String {
        let shops = Set(set.stores.keys).union(namespace.store.changed.keys).sorted().prefix(20).map { String($0) }
        return "no store for shop \(shopID)" + (shops.isEmpty ? "; no scenario declares stores" : "; stores: shops \(shops.joined(separator: ", "))")
    }
}
