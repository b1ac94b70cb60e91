using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Fabric.Actors.Config;

/// <summary>Reads a Fabric config file: Talos v1alpha1 and/or multi-document network config, Fabric's own settings,
/// and MetalLB / Service documents, into one <see cref="MachineConfig"/> with every problem reported.</summary>
public static class ConfigLoader
{
    public static ConfigResult Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message;
            return new ConfigResult(null, [new ConfigDiagnostic(DiagnosticSeverity.Error, new SourceLocation(path, 0, 0), "", $"cannot read config: {reason}")]);
        }
        return Parse(text, path);
    }

    public static ConfigResult Parse(string yamlText, string fileName)
    {
        var context = new ReadContext(fileName);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yamlText));
        }
        catch (YamlException e)
        {
            // YamlDotNet wraps the real cause (e.g. a duplicate key) with a generic message; the inner one says what is wrong.
            var message = e.InnerException is YamlException inner ? inner.Message : e.Message;
            context.Error(context.At(e.Start), "", $"YAML syntax error: {TrimMarks(message)}");
            return Finish(context, null);
        }
        catch (ArgumentException e)
        {
            context.Error(new SourceLocation(fileName, 1, 1), "", $"YAML error: {e.Message}");
            return Finish(context, null);
        }

        var network = new NetworkBuilder(context);
        var router = new DocumentRouter(context, network);
        foreach (var document in stream.Documents)
            router.Route(document.RootNode);
        if (router.DocumentCount == 0)
            context.Error(new SourceLocation(fileName, 1, 1), "", "the file holds no YAML documents");

        var config = new MachineConfig
        {
            Network = network.Build(),
            Fabric = router.Fabric ?? new FabricSettings(),
            ExtraDocuments = router.ExtraDocuments,
        };
        return Finish(context, config);
    }

    private static ConfigResult Finish(ReadContext context, MachineConfig? config)
    {
        var ordered = context.Diagnostics
            .Select((d, i) => (d, i))
            .OrderBy(x => x.d.Location.Line).ThenBy(x => x.d.Location.Column).ThenBy(x => x.i)
            .Select(x => x.d).ToList();
        return new ConfigResult(context.HasErrors ? null : config, ordered);
    }

    /// <summary>YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 40) - (...): "; we print our own location.</summary>
    private static string TrimMarks(string message)
    {
        var marker = message.LastIndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && marker > 0 ? message[(marker + 3)..] : message;
    }
}
