/// How much of a large plan the text view lists. JSON and the saved file are always whole.
public enum PlanDetail: String, Sendable, CaseIterable {
    /// Every change when the plan is small; over `PlanTextCut.conciseAbove` changes, the first of each table and a count.
    case concise
    /// Every change, however many.
    case full
}
