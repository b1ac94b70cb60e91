using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Fabric.Actors.Config;

/// <summary>Collects every diagnostic of one file; readers keep going after a problem so the operator sees them all at once.</summary>
internal sealed class ReadContext(string file)
{
    private readonly List<ConfigDiagnostic> _diagnostics = [];

    public string File { get; } = file;
    public IReadOnlyList<ConfigDiagnostic> Diagnostics => _diagnostics;
    public bool HasErrors => _diagnostics.Any(d => d.IsError);

    public SourceLocation At(YamlNode node) => At(node.Start);
    public SourceLocation At(Mark mark) => new(File, (int)mark.Line, (int)mark.Column);

    public void Error(SourceLocation location, string path, string message) =>
        _diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, location, path, message));

    public void Warning(SourceLocation location, string path, string message) =>
        _diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Warning, location, path, message));
}

/// <summary>Where a value came from: its location and dotted path, for messages about it raised later.</summary>
internal sealed record Origin(SourceLocation Location, string Path)
{
    public override string ToString() => Location.ToString();
}
