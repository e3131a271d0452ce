import TopMockLock

/// The stores as the admin API sees them: read a shop's store and its sales as one namespace sees
/// them, and change a namespace's copy of a store (an item, a promotion, an account) under the
/// engine's lock. A changed store wins over the seed's in that namespace until a reset.
extension ScenarioEngine {
    /// The store and the sales its subtotals priced, as the namespace sees them; nil when the
    /// shop has no store there.
    public func store(_ shopID: Int64, namespace: String) -> (store: Store, sales: [SaleSnapshot])? {
        state.withLock { state in
            let namespaceState = state.namespaceState(namespace)
            guard let store = namespaceState.store.store(shopID, in: state.set) else { return nil }
            let sales = namespaceState.store.sales.values.filter { $0.shopID == shopID }.sorted { $0.orderID < $1.orderID }.map { sale in
                let checkout = namespaceState.checkout(sale.checkoutKey, in: state.set)
                let results = (checkout?.actions ?? []).map { (action: $0, result: namespaceState.current($0)) }
                let status = CheckoutView.status(totalFen: checkout?.totalFen ?? sale.pricing.actualFen, results: results)
                return SaleSnapshot(sale: sale, status: status, paidFen: CheckoutView.paidFen(results))
            }
            return (store, sales)
        }
    }

    /// Changes the namespace's copy of the shop's store (an empty store when it has none) and
    /// returns it.
    @discardableResult
    public func changeStore(_ shopID: Int64, namespace: String, _ change: (inout Store) -> Void) -> Store {
        state.withLock { state in
            var store = state.namespaceState(namespace).store.store(shopID, in: state.set) ?? Store(shopID: shopID)
            change(&store)
            state.namespaces[namespace, default: NamespaceState()].store.changed[shopID] = store
            return store
        }
    }
}

/// A sale as one namespace sees it: the order and where its checkout stands.
public struct SaleSnapshot: Sendable, Equatable {
    public var sale: Sale
    public var status: CheckoutStatus
    public var paidFen: Int64
}
