public import ArgumentParser
public import Logging
public import TopMockProtocol

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension TimestampPolicy.Zone: ExpressibleByArgument {}
extension SignMethod: ExpressibleByArgument {}
