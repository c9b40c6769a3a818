package io.github.llavao1.quarkus.deployment;

import io.github.llavao1.quarkus.runtime.LlavaO1JsonRPCService;
import io.quarkus.deployment.IsDevelopment;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;

/**
 * The extension's Dev UI card (dev mode only): its models with load state, device, dtype and settings, and a page
 * to ask a staged question about an uploaded image and follow the search (candidates, judgements and winners per
 * stage). Both pages talk to {@link LlavaO1JsonRPCService}.
 */
class LlavaO1DevUIProcessor {

    @BuildStep(onlyIf = IsDevelopment.class)
    void card(BuildProducer<CardPageBuildItem> cards, BuildProducer<JsonRPCProvidersBuildItem> rpc) {
        CardPageBuildItem card = new CardPageBuildItem();
        card.addPage(Page.webComponentPageBuilder()
                .title("Models")
                .icon("font-awesome-solid:cubes")
                .componentLink("qwc-llava-o1-models.js"));
        card.addPage(Page.webComponentPageBuilder()
                .title("Ask about an image")
                .icon("font-awesome-solid:image")
                .componentLink("qwc-llava-o1-ask.js"));
        cards.produce(card);
        rpc.produce(new JsonRPCProvidersBuildItem(LlavaO1JsonRPCService.class));
    }
}
