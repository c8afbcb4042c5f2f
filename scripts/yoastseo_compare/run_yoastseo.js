#!/usr/bin/env node
/*
 * Runs yoastseo's SEO assessor and content (readability) assessor with the French researcher
 * (locale fr_FR) on papers read as JSON from stdin, and prints the results as JSON.
 *
 * Input: [{"id", "text", "keyphrase", "title", "description", "slug", "site_url", "title_width"}]
 * (yoastseo cannot measure the title in Node: it uses a DOM element, so the width is given.)
 * Output: [{"id", "seo": [{"id", "score", "text"}], "readability": [...], "seo_score", "seo_score_valid",
 *           "readability_score", "debug": {...}}]
 *
 * Development check only (npm install in this folder first); not part of the test suite.
 */
"use strict";

const fs = require("fs");
const yoast = require("yoastseo");
const FrenchResearcher = require("yoastseo/build/languageProcessing/languages/fr/Researcher.js").default;
const { ReadabilityScoreAggregator } = require("yoastseo/build/scoring/scoreAggregators");
const getSentencesFromTree = require("yoastseo/build/languageProcessing/helpers/sentence/getSentencesFromTree.js").default;

const strip = (html) => (html || "").replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim();

function analyse(input) {
	const permalink = input.site_url ? input.site_url.replace(/\/$/, "") + "/" + (input.slug || "") + "/" : "";
	const paper = new yoast.Paper(input.text || "", {
		keyword: input.keyphrase || "",
		title: input.title || "",
		titleWidth: input.title_width || 0,
		description: input.description || "",
		slug: input.slug || "",
		permalink: permalink,
		locale: "fr_FR",
	});
	const researcher = new FrenchResearcher(paper);
	const seo = new yoast.SeoAssessor(researcher);
	seo.assess(paper);
	const content = new yoast.ContentAssessor(researcher);
	content.assess(paper);
	const aggregator = new ReadabilityScoreAggregator();
	aggregator.setLocale("fr_FR");

	const results = (assessor) => assessor.results
		.filter((r) => r.hasScore() || r.hasText())
		.map((r) => ({ id: r._identifier, score: r.getScore(), text: strip(r.getText()) }));

	const debug = {};
	try {
		const tree = paper.getTree();
		const sentences = getSentencesFromTree(tree);
		debug.tree_sentences = sentences.length;
		const tw = researcher.getResearch("findTransitionWords");
		debug.transition_sentences = tw.sentenceResults.map((s) => [s.sentence.text.trim(), s.transitionWords]);
		debug.transition_text_length = tw.textLength;
		const passive = researcher.getResearch("getPassiveVoiceResult");
		debug.passive_total = passive.total;
		debug.passives = passive.passives.map(strip);
		debug.word_count = researcher.getResearch("wordCountInText").count;
		debug.keyphrase_count = researcher.getResearch("getKeyphraseCount").count;
		debug.density = researcher.getResearch("getKeyphraseDensity");
		debug.keyphrase_forms = researcher.getResearch("morphology").keyphraseForms;
		debug.long_sentences = researcher.getResearch("countSentencesFromText")
			.filter((s) => s.sentenceLength > 20).map((s) => [s.sentence.text.trim(), s.sentenceLength]);
		debug.sentence_lengths = researcher.getResearch("countSentencesFromText").map((s) => s.sentenceLength);
		debug.beginnings = researcher.getResearch("getSentenceBeginnings").filter((b) => b.count > 2).map((b) => [b.word, b.count]);
		debug.flesch = researcher.getResearch("getFleschReadingScore");
		debug.links = researcher.getResearch("getLinkStatistics");
		debug.subheadings = researcher.getResearch("matchKeywordInSubheadings");
		delete debug.subheadings.text;
	} catch (e) {
		debug.error = String(e);
	}
	return {
		id: input.id,
		seo: results(seo),
		readability: results(content),
		seo_score: seo.getScoreAggregator().aggregate(seo.results),
		seo_score_valid: seo.calculateOverallScore(),
		readability_score: aggregator.aggregate(content.results),
		debug,
	};
}

const inputs = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(inputs.map(analyse)));
