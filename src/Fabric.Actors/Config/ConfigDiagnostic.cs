namespace Fabric.Actors.Config;

public enum DiagnosticSeverity { Error, Warning }

/// <summary>One problem found in a config file, pinned to where it was written.</summary>
public sealed record ConfigDiagnostic(DiagnosticSeverity Severity, SourceLocation Location, string Path, string Message)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>FILE:LINE:COL: path: message, the shape compilers use, so editors and grep can jump to it.</summary>
    public override string ToString()
    {
        var path = string.IsNullOrEmpty(Path) ? "" : Path + ": ";
        var warning = Severity == DiagnosticSeverity.Warning ? "warning: " : "";
        // Line 0 means the problem is the file itself (missing, unreadable): no position to point at.
        var where = Location.Line == 0 ? Location.File : Location.ToString();
        return $"{where}: {path}{warning}{Message}";
    }
}
