using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Aggregation;
using DistributedSync.Emulator.Query.Filter;

namespace DistributedSync.Emulator.Query.Projection;

/// <summary>Which syntax a projection is parsed with.</summary>
internal enum ProjectionMode
{
    /// <summary>find/findAndModify: <c>$slice</c> and <c>$elemMatch</c> are the find operators; <c>{}</c> means no projection.</summary>
    Find,

    /// <summary>The <c>$project</c> stage: find-only operators are rejected and <c>{}</c> is an error.</summary>
    Aggregation,
}

/// <summary>
/// A compiled projection (mongod 4.4+ semantics): inclusion (<c>{a: 1, "b.c": 1}</c>, with
/// computed fields such as <c>{x: "$a"}</c> or literals), or exclusion (<c>{a: 0}</c>); <c>_id</c>
/// is included unless excluded and may be given either way in both styles; nested documents
/// (<c>{a: {b: 1}}</c>) are sub-projections. In find, <c>$slice</c> and <c>$elemMatch</c> are
/// supported; the positional <c>$</c> projection is not (it raises BadValue).
/// </summary>
internal sealed partial class ProjectionSpec
{
    private readonly ProjectionNode _root;

    private ProjectionSpec(ProjectionNode root, bool isInclusion)
    {
        _root = root;
        IsInclusion = isInclusion;
    }

    /// <summary>True for an inclusion projection (only listed fields survive).</summary>
    public bool IsInclusion { get; }

    /// <summary>True for the empty find projection, which returns documents unchanged.</summary>
    public bool IsIdentity => !IsInclusion && _root.Order.Count == 0;

    /// <summary>Parses a projection, raising mongod's errors (31253, 31254, 31250, ...).</summary>
    public static ProjectionSpec Compile(BsonDocument spec, ProjectionMode mode = ProjectionMode.Find)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (mode == ProjectionMode.Aggregation && spec.Count == 0)
        {
            throw new QueryException(51272, "projection specification must have at least one field");
        }

        var parser = new Parser(mode);
        var root = new ProjectionNode(ProjectionKind.Inner);
        foreach (var element in spec)
        {
            parser.ParseElement(element.Name, element.Value, root, isRoot: true, prefix: null);
        }

        var inclusion = parser.Type ?? parser.DefaultType();
        var idSpecified = spec.Names.Any(n => n == "_id" || n.StartsWith("_id.", StringComparison.Ordinal));
        if (!idSpecified && inclusion)
        {
            root.AddAtPath(["_id"], 0, new ProjectionNode(ProjectionKind.Include), "_id");
        }

        if (!inclusion && parser.IdIncluded)
        {
            root.RemoveChild("_id");
        }

        root.Seal();
        return new ProjectionSpec(root, inclusion);
    }

    /// <summary>Projects a document (the input is not modified; unchanged sub-values are shared).</summary>
    public BsonDocument Apply(BsonDocument doc)
    {
        if (IsIdentity)
        {
            return doc;
        }

        var context = new ExpressionContext(doc);
        var result = IsInclusion ? Include(_root, doc, context) : Exclude(_root, doc);
        AppendElemMatches(doc, result);
        return result;
    }

    private sealed class Parser(ProjectionMode mode)
    {
        public bool? Type { get; private set; }

        public bool IdIncluded { get; private set; }

        private bool IdExcluded { get; set; }

        private bool HasSlice { get; set; }

        private bool HasElemMatch { get; set; }

        public bool DefaultType() => HasSlice ? IdIncluded : HasElemMatch || (IdIncluded && !IdExcluded);

        public void ParseElement(string name, BsonValue value, ProjectionNode parent, bool isRoot, string? prefix)
        {
            var fullPath = prefix is null ? name : prefix + "." + name;
            if (name.EndsWith(".$", StringComparison.Ordinal) || name == "$" || name.Contains(".$.", StringComparison.Ordinal))
            {
                if (mode == ProjectionMode.Aggregation)
                {
                    throw new QueryException(31324, "Cannot use positional projection in aggregation projection");
                }

                throw QueryException.BadValue($"Positional projection '{name}' is not supported by this server");
            }

            var path = FieldNames.ValidatePath(name);
            switch (value)
            {
                case BsonDocument sub:
                    ParseSubObject(name, path, sub, parent, fullPath, isRoot);
                    break;
                case BsonBoolean or BsonInt32 or BsonInt64 or BsonDouble or BsonDecimal128:
                    var isTopLevelId = isRoot && name == "_id";
                    if (value.ToBoolean())
                    {
                        parent.AddAtPath(path, 0, new ProjectionNode(ProjectionKind.Include), fullPath);
                        if (isTopLevelId)
                        {
                            IdIncluded = true;
                            break;
                        }

                        SetType(inclusion: true, () => new QueryException(31253, $"Cannot do inclusion on field {name} in exclusion projection"));
                    }
                    else
                    {
                        parent.AddAtPath(path, 0, new ProjectionNode(ProjectionKind.Exclude), fullPath);
                        if (isTopLevelId)
                        {
                            IdExcluded = true;
                            break;
                        }

                        SetType(inclusion: false, () => new QueryException(31254, $"Cannot do exclusion on field {name} in inclusion projection"));
                    }

                    break;
                default:
                    parent.AddAtPath(path, 0, new ProjectionNode(ProjectionKind.Expression) { Expression = AggExpression.Parse(value) }, fullPath);
                    SetType(inclusion: true, () => new QueryException(31310, $"Cannot use an expression {BsonText.Element(name, value)} in an exclusion projection"));
                    break;
            }
        }

        private void ParseSubObject(string name, string[] path, BsonDocument sub, ProjectionNode parent, string fullPath, bool isRoot)
        {
            if (sub.Count == 0)
            {
                throw new QueryException(51270, "Invalid empty sub-projection: " + name);
            }

            var first = sub[0].Name;
            if (sub.Count == 1 && first.StartsWith('$'))
            {
                if (mode == ProjectionMode.Find && first == "$slice")
                {
                    parent.AddAtPath(path, 0, ParseSlice(sub[0].Value), fullPath);
                    HasSlice = true;
                    return;
                }

                if (first == "$elemMatch")
                {
                    if (mode != ProjectionMode.Find)
                    {
                        throw new QueryException(QueryErrorCodes.InvalidPipelineOperator, "Cannot use $elemMatch in this context");
                    }

                    if (sub[0].Value is not BsonDocument)
                    {
                        throw new QueryException(31274, $"elemMatch: Invalid argument, object required, but got {BsonText.TypeName(sub[0].Value)}");
                    }

                    if (path.Length != 1 || !isRoot)
                    {
                        throw new QueryException(31275, "Cannot use $elemMatch projection on a nested field.");
                    }

                    var matcher = FilterMatcher.Compile(new BsonDocument(name, sub));
                    parent.AddAtPath(path, 0, new ProjectionNode(ProjectionKind.ElemMatch) { ElemMatch = matcher }, fullPath);
                    HasElemMatch = true;
                    return;
                }

                if (first == "$meta")
                {
                    throw QueryException.BadValue($"$meta projection {BsonText.Value(sub)} is not supported by this server");
                }

                var expression = AggExpression.Parse(sub);
                parent.AddAtPath(path, 0, new ProjectionNode(ProjectionKind.Expression) { Expression = expression }, fullPath);
                SetType(inclusion: true, () => new QueryException(31252, "Cannot use expression other than $meta in exclusion projection"));
                return;
            }

            var inner = parent.InnerAtPath(path, fullPath);
            foreach (var element in sub)
            {
                ParseElement(element.Name, element.Value, inner, isRoot: false, fullPath);
            }
        }

        private static ProjectionNode ParseSlice(BsonValue arg)
        {
            if (arg.IsNumeric)
            {
                return new ProjectionNode(ProjectionKind.Slice) { SliceLimit = SafeInt(arg) };
            }

            if (arg is not BsonArray array)
            {
                throw new QueryException(31273, "$slice only supports numbers and [skip, limit] arrays");
            }

            if (array.Count != 2)
            {
                throw new QueryException(31272, "$slice array argument should be of form [skip, limit]");
            }

            if (!array[0].IsNumeric)
            {
                throw new QueryException(31257, $"$slice expects the skip argument to be a number, got {BsonText.TypeName(array[0])}");
            }

            if (!array[1].IsNumeric)
            {
                throw new QueryException(31258, $"$slice expects the limit argument to be a number, got {BsonText.TypeName(array[1])}");
            }

            var limit = SafeInt(array[1]);
            if (limit <= 0)
            {
                throw new QueryException(31259, $"$slice limit must be positive, got {limit}");
            }

            return new ProjectionNode(ProjectionKind.Slice) { SliceSkip = SafeInt(array[0]), SliceLimit = limit };
        }

        private static int SafeInt(BsonValue v)
        {
            var d = v.ToDouble();
            return double.IsNaN(d) ? 0 : (int)Math.Clamp(Math.Truncate(d), int.MinValue, int.MaxValue);
        }

        private void SetType(bool inclusion, Func<QueryException> conflict)
        {
            if (Type is { } existing && existing != inclusion)
            {
                throw conflict();
            }

            Type = inclusion;
        }
    }
}
