using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Filter;

namespace DistributedSync.Emulator.Query.Aggregation;

/// <summary><c>{$expr: expression}</c> in a filter: the document matches when the expression is truthy.</summary>
internal sealed class ExprMatchNode(BsonValue spec) : MatchNode
{
    private readonly AggExpression _expression = AggExpression.Parse(spec);

    public override bool Matches(BsonDocument doc, MatchDetails? details)
        => OperatorExpressions.IsTrue(_expression.Evaluate(doc));

    public override bool MatchesElement(BsonValue? value) => false;
}
