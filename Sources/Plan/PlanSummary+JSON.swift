import ReconCore

extension PlanSummary {
    /// The plan file's `summary` object; hooks get the same as `RECON_SUMMARY`.
    public var json: JSONValue {
        .object(["add": .number(Double(add)), "adopt": .number(Double(adopt)), "change": .number(Double(change)),
                 "conflicts": .number(Double(conflicts)), "delete": .number(Double(delete)), "drift": .number(Double(drift)),
                 "manual": .number(Double(manual)), "schema": .number(Double(schema))])
    }
}
