namespace Fabric.Vip.LoadBalancer.Config;

public static class LabelSelectorReader
{
    private static readonly string[] Fields = ["matchLabels", "matchExpressions"];
    private static readonly string[] ExpressionFields = ["key", "operator", "values"];

    public static IReadOnlyList<LabelSelector> ReadList(DocReader r, DocNode? node, string path) =>
        r.List(node, path).Select((item, i) => Read(r, item, $"{path}[{i}]")).ToList();

    public static LabelSelector Read(DocReader r, DocNode node, string path)
    {
        r.Map(node, path, Fields);
        var expressions = new List<LabelRequirement>();
        var list = r.List(node["matchExpressions"], $"{path}.matchExpressions");
        for (var i = 0; i < list.Count; i++)
        {
            var at = $"{path}.matchExpressions[{i}]";
            r.Map(list[i], at, ExpressionFields);
            var key = r.String(list[i]["key"], $"{at}.key");
            var op = r.String(list[i]["operator"], $"{at}.operator");
            var values = r.Strings(list[i]["values"], $"{at}.values");
            if (string.IsNullOrEmpty(key)) { r.Error(list[i], at, "key is required"); continue; }
            if (op is null || !LabelRequirement.Operators.Contains(op))
            {
                r.Error(list[i]["operator"] ?? list[i], $"{at}.operator", $"operator must be one of {string.Join(", ", LabelRequirement.Operators)}");
                continue;
            }
            if (op is "In" or "NotIn" && values.Count == 0) r.Error(list[i], $"{at}.values", $"operator {op} needs values");
            expressions.Add(new LabelRequirement(key, op, values));
        }
        return new LabelSelector { MatchLabels = r.StringMap(node["matchLabels"], $"{path}.matchLabels"), MatchExpressions = expressions };
    }
}
