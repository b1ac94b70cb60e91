namespace Fabric.Actors.Config;

/// <summary>What `fabric validate FILE...` runs: one line per problem, exit code 0 when no file has an error.</summary>
public static class ConfigValidation
{
    public static int ValidateFiles(IEnumerable<string> paths, TextWriter output)
    {
        var exitCode = 0;
        var any = false;
        foreach (var path in paths)
        {
            any = true;
            var result = ConfigLoader.Load(path);
            foreach (var diagnostic in result.Diagnostics)
                output.WriteLine(diagnostic.ToString());
            if (!result.IsValid) exitCode = 1;
        }
        if (!any)
        {
            output.WriteLine("no config files given");
            return 1;
        }
        return exitCode;
    }
}
