package io.aigne.hub.gateway.canonical;

import java.util.List;

/**
 * A chat call in the hub's own terms.
 *
 * @param model          the model id as the caller wrote it (adapters send {@code Route.upstreamModel()} instead)
 * @param system         system instructions, in order (OpenAI system/developer messages, Anthropic's system blocks,
 *                       Gemini's systemInstruction); empty when there are none
 * @param messages       the conversation; user and assistant turns only, tool results travel in user turns
 * @param tools          functions the model may call; empty when none
 * @param toolChoice     how the model may use the tools; null means the provider's default
 * @param responseFormat the shape of the answer; null means free text
 * @param sampling       generation parameters; never null
 * @param reasoning      extended thinking / reasoning settings; null when the caller set none
 * @param stream         whether the caller asked for a stream
 * @param user           the caller's end-user id, if given
 */
public record ChatRequest(String model, List<ContentPart.Text> system, List<Message> messages, List<Tool> tools,
                          ToolChoice toolChoice, ResponseFormat responseFormat, Sampling sampling,
                          Reasoning reasoning, boolean stream, String user) {
    public ChatRequest {
        system = system == null ? List.of() : List.copyOf(system);
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        sampling = sampling == null ? Sampling.DEFAULT : sampling;
    }

    /** The system instructions as one text, blocks separated by a blank line; null when there are none. */
    public String systemText() {
        if (system.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (ContentPart.Text part : system) {
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append(part.text());
        }
        return text.toString();
    }

    /**
     * The name of the function a tool result answers: OpenAI's tool messages carry only the call id, while Gemini's
     * functionResponse needs the name, so it is looked up in the assistant turn that made the call.
     */
    public String toolNameFor(String callId) {
        for (Message message : messages) {
            for (ContentPart part : message.content()) {
                if (part instanceof ContentPart.ToolCall call && call.id() != null && call.id().equals(callId)) {
                    return call.name();
                }
            }
        }
        return null;
    }
}
