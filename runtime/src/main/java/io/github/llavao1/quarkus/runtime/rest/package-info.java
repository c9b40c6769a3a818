/**
 * HTTP mappings of the exceptions whose messages are meant for the client, registered by the extension's
 * deployment module only when Quarkus REST is present: an application's own {@code ExceptionMapper} or
 * {@code @ServerExceptionMapper} for the same exception takes precedence.
 *
 * <ul>
 *   <li>{@link io.github.llavao1.engine.image.InvalidImageException} (undecodable, too large, or refused by the image
 *       policy, {@code ImageAccessDeniedException}): 400;</li>
 *   <li>{@link io.github.llavao1.engine.PromptTooLongException} (the prompt and its answer budget do not fit the
 *       context): 413;</li>
 *   <li>{@link io.github.llavao1.engine.EngineBusyException} (every request slot taken and the waiting line full):
 *       503 with {@code Retry-After}.</li>
 * </ul>
 * Each answers {@code text/plain} with the exception's message, which names the problem and never echoes the
 * request's content (inline images are named by kind and size, prompts by their token counts).
 */
package io.github.llavao1.quarkus.runtime.rest;
