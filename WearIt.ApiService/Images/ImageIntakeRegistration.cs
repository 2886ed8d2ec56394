namespace WearIt.ApiService.Images;

public static class ImageIntakeRegistration
{
    /// <summary>Decoding, checking and storing uploaded images, and the upload rate limit (bodies and wardrobe share them).</summary>
    public static IHostApplicationBuilder AddImageIntake(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<ImageIntakeOptions>(builder.Configuration.GetSection(ImageIntakeOptions.SectionName));
        builder.Services.AddSingleton<ImageDecodeGate>();
        builder.Services.AddSingleton<ImageIntake>();
        builder.Services.AddSingleton<ImageStorage>();
        builder.Services.AddUploadRateLimiting();
        return builder;
    }
}
