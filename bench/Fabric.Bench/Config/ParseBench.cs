using System.Diagnostics;
using Fabric.Actors.Config;
using YamlDotNet.RepresentationModel;

namespace Fabric.Bench.Config;

/// <summary>How long reading and validating a config takes, split into YAML parsing and Fabric's own work.</summary>
public static class ParseBench
{
    public static int Run(string[] args)
    {
        var text = File.ReadAllText(args[0]);
        var rounds = args.Length > 1 ? int.Parse(args[1]) : 50;
        double yaml = 0, whole = 0;
        for (var i = 0; i < rounds + 5; i++)
        {
            var watch = Stopwatch.StartNew();
            new YamlStream().Load(new StringReader(text));
            var y = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            var result = ConfigLoader.Parse(text, args[0]);
            var w = watch.Elapsed.TotalMilliseconds;
            if (!result.IsValid) { Console.Error.WriteLine(string.Join('\n', result.Diagnostics)); return 1; }
            if (i >= 5) { yaml += y; whole += w; }
        }
        Console.WriteLine($"YAML representation model: {yaml / rounds:F1} ms; ConfigLoader.Parse (YAML + Fabric): {whole / rounds:F1} ms; per {rounds} warm rounds");
        return 0;
    }
}
