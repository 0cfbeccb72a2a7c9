using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;
using System.Text;
using System.Text.RegularExpressions;

namespace ModelRunner.Engine.Native;

/// <summary>
/// Finds, loads and initialises llama.cpp. Libraries are looked up under
/// <c>$MODEL_RUNNER_LLAMA_DIR</c> (default: <c>llama/</c> beside the application), in a
/// <c>cpu/</c> or <c>cuda/</c> folder chosen by <c>$MODEL_RUNNER_GPU</c>. Every native call
/// of this assembly resolves through here, so the first one loads the libraries if
/// <see cref="Load()"/> was not called first. Thread-safe; loading happens once per process.
/// </summary>
public static unsafe partial class LlamaLibrary
{
    /// <summary>Overrides the folder that holds the <c>cpu/</c> and <c>cuda/</c> builds.</summary>
    public const string DirectoryVariable = "MODEL_RUNNER_LLAMA_DIR";

    /// <summary>Chooses the build: <c>auto</c> (default), <c>cuda</c> or <c>cpu</c>.</summary>
    public const string GpuVariable = "MODEL_RUNNER_GPU";

    private const string Release = "@node-llama-cpp/linux-x64@3.22.1 (llama.cpp v0.5.0)";
    private const string InstallHint =
        "Build the project once (`dotnet build` runs eng/fetch-llama.sh, which installs it from npm), " +
        "or set " + DirectoryVariable + " to a folder holding cpu/ (and cuda/) builds of " + Release + ".";

    // Symbols that exist in this release and not in older ones: a library without them would
    // have other struct layouts than the ones this assembly mirrors.
    private static readonly string[] ReleaseSymbols = ["llama_load_mode_name", "llama_model_n_embd_out"];

    private static readonly Lock Gate = new();
    private static readonly Lock LogGate = new();
    private static readonly StringBuilder PendingLogLine = new();
    private static LlamaLogLevel _pendingLogLevel;
    private static volatile Dictionary<string, nint>? _handles;
    private static LlamaRuntime? _runtime;

    [ThreadStatic]
    private static string? _lastError;

    /// <summary>
    /// Receives llama.cpp's log lines (without the trailing newline). When null, lines are
    /// dropped; the last error of the calling thread is still kept for exception messages.
    /// </summary>
    public static Action<LlamaLogLevel, string>? LogHandler { get; set; }

#pragma warning disable CA2255 // A resolver must be in place before the first P/Invoke of this assembly.
    [ModuleInitializer]
    internal static void RegisterResolver() =>
        NativeLibrary.SetDllImportResolver(typeof(LlamaLibrary).Assembly, Resolve);
#pragma warning restore CA2255

    /// <summary>
    /// The folder holding llama.cpp's builds (<c>cpu/</c>, <c>cuda/</c>) and the vocabulary files
    /// (<c>vocab/</c>): <c>$MODEL_RUNNER_LLAMA_DIR</c>, else <c>llama/</c> beside the application.
    /// </summary>
    public static string RootDirectory =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } directory
            ? directory
            : Path.Combine(AppContext.BaseDirectory, "llama");

    /// <summary>Loads llama.cpp as the environment variables say; later calls return the same runtime.</summary>
    /// <exception cref="LlamaLibraryException">The libraries are missing, of another release, or fail to load.</exception>
    public static LlamaRuntime Load() => Load(ReadPreference(), RootDirectory);

    /// <summary>Loads llama.cpp from <paramref name="directory"/>; later calls return the first runtime loaded.</summary>
    /// <exception cref="LlamaLibraryException">The libraries are missing, of another release, or fail to load.</exception>
    public static LlamaRuntime Load(GpuPreference preference, string directory)
    {
        lock (Gate)
        {
            return _runtime ??= LoadOnce(preference, directory);
        }
    }

    /// <summary>The message of the last error llama.cpp logged on this thread, then forgets it.</summary>
    internal static string? TakeLastError()
    {
        var error = _lastError;
        _lastError = null;
        return error;
    }

    /// <summary>Reads llama.cpp's devices and their free memory now (it changes as models load and unload).</summary>
    public static IReadOnlyList<ComputeDevice> ReadDevices()
    {
        if (_handles is null)
        {
            Load();
        }

        var devices = new List<ComputeDevice>();
        var count = (int)LlamaApi.ggml_backend_dev_count();
        for (var i = 0; i < count; i++)
        {
            var device = LlamaApi.ggml_backend_dev_get((nuint)i);
            LlamaApi.ggml_backend_dev_memory(device, out var free, out var total);
            var type = LlamaApi.ggml_backend_dev_type(device);
            devices.Add(new ComputeDevice(
                Marshal.PtrToStringUTF8(LlamaApi.ggml_backend_dev_name(device)) ?? "",
                Marshal.PtrToStringUTF8(LlamaApi.ggml_backend_dev_description(device)) ?? "",
                type == GgmlDeviceType.Gpu,
                (long)free,
                (long)total));
        }

        return devices;
    }

    private static LlamaRuntime LoadOnce(GpuPreference preference, string directory)
    {
        var cudaDirectory = Path.Combine(directory, "cuda");
        var cudaInstalled = File.Exists(Path.Combine(cudaDirectory, "libggml-cuda.so"));
        string? notice = null;
        var variant = "cpu";
        switch (preference)
        {
            case GpuPreference.Cuda when !cudaInstalled:
                throw new LlamaLibraryException(
                    $"{GpuVariable}=cuda, but llama.cpp's CUDA build is not installed in {cudaDirectory}. " +
                    "Build with MODEL_RUNNER_CUDA=1 (it runs `eng/fetch-llama.sh cuda`), or set " + GpuVariable + "=cpu.");
            case GpuPreference.Cuda:
                variant = "cuda";
                break;
            case GpuPreference.Auto when cudaInstalled && NvidiaDriverPresent():
                variant = "cuda";
                break;
            case GpuPreference.Auto when cudaInstalled:
                notice = "the CUDA build is installed but no NVIDIA driver (libcuda.so.1) was found; using the CPU build";
                break;
        }

        try
        {
            return Initialise(variant, Path.Combine(directory, variant), notice);
        }
        catch (LlamaLibraryException exception) when (variant == "cuda" && preference == GpuPreference.Auto)
        {
            return Initialise("cpu", Path.Combine(directory, "cpu"), $"the CUDA build failed to load ({exception.Message}); using the CPU build");
        }
    }

    private static LlamaRuntime Initialise(string variant, string folder, string? notice)
    {
        if (!Directory.Exists(folder))
        {
            throw new LlamaLibraryException($"llama.cpp is not installed: {folder} does not exist. {InstallHint}");
        }

        var handles = new Dictionary<string, nint>
        {
            [LlamaApi.GgmlBase] = LoadLibrary(folder, Path.Combine(folder, "libggml-base.so")),
            [LlamaApi.Ggml] = LoadLibrary(folder, FindLibrary(folder, GgmlLibraryName())),
        };
        var llama = LoadLibrary(folder, FindLibrary(folder, LlamaLibraryName()));
        foreach (var symbol in ReleaseSymbols)
        {
            if (!NativeLibrary.TryGetExport(llama, symbol, out _))
            {
                throw new LlamaLibraryException(
                    $"The llama.cpp library in {folder} is not the release this build binds ({Release}): it lacks {symbol}. {InstallHint}");
            }
        }

        handles[LlamaApi.Llama] = llama;
        _handles = handles;

        LlamaApi.llama_log_set(&OnLog, null);
        LlamaApi.ggml_backend_load_all_from_path(folder);
        LlamaApi.llama_backend_init();
        var hasGpu = ReadDevices().Any(device => device.IsGpu);
        if (variant == "cuda" && !hasGpu)
        {
            notice ??= "the CUDA build loaded but found no GPU; layers stay on the CPU";
        }

        return new LlamaRuntime(
            variant,
            folder,
            Marshal.PtrToStringUTF8(LlamaApi.llama_version()) ?? "unknown",
            Marshal.PtrToStringUTF8(LlamaApi.llama_print_system_info())?.Trim() ?? "",
            hasGpu,
            notice);
    }

    private static nint Resolve(string libraryName, System.Reflection.Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName is not (LlamaApi.Llama or LlamaApi.Ggml or LlamaApi.GgmlBase))
        {
            return 0;
        }

        if (_handles is null)
        {
            Load();
        }

        return _handles![libraryName];
    }

    private static string FindLibrary(string folder, Regex pattern)
    {
        var matches = Directory.EnumerateFiles(folder).Where(path => pattern.IsMatch(Path.GetFileName(path))).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new LlamaLibraryException($"llama.cpp is incomplete in {folder}: no file matches {pattern}. {InstallHint}"),
            _ => throw new LlamaLibraryException($"llama.cpp is ambiguous in {folder}: {string.Join(", ", matches.Select(Path.GetFileName))} all match {pattern}."),
        };
    }

    private static nint LoadLibrary(string folder, string path)
    {
        if (!File.Exists(path))
        {
            throw new LlamaLibraryException($"llama.cpp is incomplete in {folder}: {Path.GetFileName(path)} is missing. {InstallHint}");
        }

        try
        {
            return NativeLibrary.Load(path);
        }
        catch (DllNotFoundException exception)
        {
            throw new LlamaLibraryException($"{path} failed to load: {exception.Message}. {InstallHint}", exception);
        }
    }

    private static bool NvidiaDriverPresent()
    {
        if (!NativeLibrary.TryLoad("libcuda.so.1", out var driver))
        {
            return false;
        }

        NativeLibrary.Free(driver);
        return true;
    }

    private static GpuPreference ReadPreference()
    {
        var value = Environment.GetEnvironmentVariable(GpuVariable);
        return value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "auto" => GpuPreference.Auto,
            "cuda" => GpuPreference.Cuda,
            "cpu" => GpuPreference.Cpu,
            _ => throw new LlamaLibraryException($"{GpuVariable}={value} is not one of auto, cuda, cpu."),
        };
    }

    // libggml.v0.5.0.so in the CPU build, libggml.cuda.v0.5.0.so in the CUDA build.
    [GeneratedRegex(@"^libggml\.(\w+\.)?v[\d.]+\.so$")]
    private static partial Regex GgmlLibraryName();

    [GeneratedRegex(@"^libllama\.(\w+\.)?v[\d.]+\.so$")]
    private static partial Regex LlamaLibraryName();

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(int level, byte* text, void* userData)
    {
        try
        {
            var message = Utf8StringMarshaller.ConvertToManaged(text) ?? "";
            lock (LogGate)
            {
                if ((LlamaLogLevel)level != LlamaLogLevel.Continue)
                {
                    FlushLogLine();
                    _pendingLogLevel = (LlamaLogLevel)level;
                }

                PendingLogLine.Append(message);
                if (message.EndsWith('\n'))
                {
                    FlushLogLine();
                }
            }
        }
#pragma warning disable CA1031 // An exception must never unwind into native code.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static void FlushLogLine()
    {
        if (PendingLogLine.Length == 0)
        {
            return;
        }

        var line = PendingLogLine.ToString().TrimEnd('\n');
        PendingLogLine.Clear();
        if (_pendingLogLevel == LlamaLogLevel.Error)
        {
            _lastError = line.Trim();
        }

        LogHandler?.Invoke(_pendingLogLevel, line);
    }
}
