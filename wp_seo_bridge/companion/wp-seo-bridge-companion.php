<?php
/**
 * Plugin Name: wp-seo-bridge companion
 * Description: Lets wp-seo-bridge read and write SEO plugin fields (Yoast SEO, Rank Math, SEOPress, The SEO Framework) over the REST API and XML-RPC. Install as a must-use plugin: wp-content/mu-plugins/wp-seo-bridge-companion.php.
 * Version: 1.3.0
 * Requires at least: 6.1
 * License: GPL-2.0-or-later
 * License URI: https://www.gnu.org/licenses/gpl-2.0.html
 *
 * Why: WordPress silently drops meta keys that are not registered for the REST API, and
 * refuses underscore-prefixed ("protected") keys unless an auth_callback allows them. This
 * file registers the SEO plugins' title, description and keyphrase keys, and the bridge's
 * own record key, for every post type that shows in REST and supports custom fields. Only
 * users who may edit a post can read or write them; anonymous readers see nothing. Keys an
 * SEO plugin already registered itself are left alone.
 *
 * Since 1.2.0 it also tells, to users who may edit a post, what the bridge checks before
 * writing it (the `wp_seo_bridge` field of REST and XML-RPC posts: the server's clock, the
 * post's edit lock, whether a revision of it as it is now exists, its status as stored), and
 * which of several slugs other posts already use (XML-RPC; REST filters by slug itself).
 *
 * Since 1.3.0 it shows editors what the bridge did, in a "wp-seo-bridge" box on the post edit
 * screen (block and classic editor) and an "SEO bridge" column with a "Needs attention" view in
 * the posts list, and lets them steer it (`_wp_seo_bridge_request`: rewrite, do not rewrite,
 * rewrite again). See the editors' section at the end of this file.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'WP_SEO_BRIDGE_COMPANION_VERSION', '1.3.0' );

/** The meta keys the bridge needs. */
function wp_seo_bridge_meta_keys() {
	return array(
		// Yoast SEO.
		'_yoast_wpseo_title',
		'_yoast_wpseo_metadesc',
		'_yoast_wpseo_focuskw',
		// Rank Math.
		'rank_math_title',
		'rank_math_description',
		'rank_math_focus_keyword',
		// SEOPress.
		'_seopress_titles_title',
		'_seopress_titles_desc',
		'_seopress_analysis_target_kw',
		// The SEO Framework.
		'_genesis_title',
		'_genesis_description',
		// wp-seo-bridge's own record: what was done, when, from which source hash.
		'_wp_seo_bridge_record',
		// The editors' request: "" (site default), "rewrite", "skip" or "again:<unix time>".
		'_wp_seo_bridge_request',
	);
}

/** The values `_wp_seo_bridge_request` may hold: "", "rewrite", "skip" or "again:<unix time>". */
define( 'WP_SEO_BRIDGE_REQUEST_PATTERN', '^(rewrite|skip|again:[1-9][0-9]{0,11})?$' );

/** `_wp_seo_bridge_request` as stored: one of the known requests, or "" (the site's default). */
function wp_seo_bridge_sanitize_request( $value ) {
	$value = is_string( $value ) ? trim( $value ) : '';
	return preg_match( '/' . WP_SEO_BRIDGE_REQUEST_PATTERN . '/', $value ) ? $value : '';
}

/** Post types that show in REST and support custom fields. */
function wp_seo_bridge_post_types() {
	$types = array();
	foreach ( get_post_types( array( 'show_in_rest' => true ), 'names' ) as $type ) {
		if ( post_type_supports( $type, 'custom-fields' ) ) {
			$types[] = $type;
		}
	}
	return $types;
}

/** Only someone who may edit this very post may read or write its SEO fields. */
function wp_seo_bridge_can_edit( $allowed, $meta_key, $post_id ) {
	return current_user_can( 'edit_post', $post_id );
}

/** The SEO plugin active on this site, by the constants each one defines. */
function wp_seo_bridge_active_seo_plugin() {
	if ( defined( 'WPSEO_VERSION' ) ) {
		return 'yoast';
	}
	if ( defined( 'RANK_MATH_VERSION' ) ) {
		return 'rankmath';
	}
	if ( defined( 'SEOPRESS_VERSION' ) ) {
		return 'seopress';
	}
	if ( defined( 'THE_SEO_FRAMEWORK_VERSION' ) ) {
		return 'seoframework';
	}
	return null;
}

$GLOBALS['wp_seo_bridge_report'] = array(
	'registered' => array(),
	'skipped'    => array(),
);

/** Registers the keys late on init, after post types and SEO plugins have registered theirs. */
function wp_seo_bridge_register_meta() {
	$report = array(
		'registered' => array(),
		'skipped'    => array(),
	);
	foreach ( wp_seo_bridge_post_types() as $type ) {
		foreach ( wp_seo_bridge_meta_keys() as $key ) {
			if ( registered_meta_key_exists( 'post', $key, $type ) || registered_meta_key_exists( 'post', $key, '' ) ) {
				$report['skipped'][ $type ][] = $key;
				continue;
			}
			$args = array(
				'type'          => 'string',
				'single'        => true,
				'description'   => 'Registered by wp-seo-bridge companion.',
				'show_in_rest'  => array(
					'schema' => array(
						'type'    => 'string',
						'context' => array( 'edit' ),
					),
				),
				'auth_callback' => 'wp_seo_bridge_can_edit',
			);
			if ( '_wp_seo_bridge_request' === $key ) {
				// Only the requests the bridge knows: REST refuses anything else, other paths store "".
				$args['show_in_rest']['schema']['pattern'] = WP_SEO_BRIDGE_REQUEST_PATTERN;
				$args['sanitize_callback']                 = 'wp_seo_bridge_sanitize_request';
			}
			register_post_meta( $type, $key, $args );
			$report['registered'][ $type ][] = $key;
		}
		add_filter( "rest_prepare_{$type}", 'wp_seo_bridge_hide_meta', 10, 2 );
	}
	$GLOBALS['wp_seo_bridge_report'] = $report;
}
add_action( 'init', 'wp_seo_bridge_register_meta', 99 );

/** Second guard: never hand these values to someone who may not edit the post. */
function wp_seo_bridge_hide_meta( $response, $post ) {
	if ( current_user_can( 'edit_post', $post->ID ) ) {
		if ( array_key_exists( 'wp_seo_bridge', $response->data ) && null === $response->data['wp_seo_bridge'] ) {
			unset( $response->data['wp_seo_bridge'] );
		}
		return $response;
	}
	unset( $response->data['wp_seo_bridge'] );
	if ( ! isset( $response->data['meta'] ) || ! is_array( $response->data['meta'] ) ) {
		return $response;
	}
	foreach ( wp_seo_bridge_meta_keys() as $key ) {
		unset( $response->data['meta'][ $key ] );
	}
	return $response;
}

/**
 * The post's edit lock ("time:user" in `_edit_lock`, the user falling back to `_edit_last` as
 * WordPress does), or null when there is none.
 */
function wp_seo_bridge_edit_lock( $post_id ) {
	$lock = get_post_meta( $post_id, '_edit_lock', true );
	if ( ! is_string( $lock ) || '' === $lock ) {
		return null;
	}
	$parts = explode( ':', $lock );
	$time  = (int) $parts[0];
	$user  = isset( $parts[1] ) ? (int) $parts[1] : (int) get_post_meta( $post_id, '_edit_last', true );
	if ( $time <= 0 || $user <= 0 ) {
		return null;
	}
	return array(
		'user' => $user,
		'time' => $time,
	);
}

/**
 * Whether WordPress already keeps a revision of the post as it is now: its latest revision
 * (autosaves aside, as WordPress compares them) has the same title, content and excerpt.
 */
function wp_seo_bridge_revision_current( $post_id, $row ) {
	$revisions = wp_get_post_revisions(
		$post_id,
		array(
			'numberposts' => 10,
			'orderby'     => 'date ID',
			'order'       => 'DESC',
		)
	);
	foreach ( $revisions as $revision ) {
		if ( wp_is_post_autosave( $revision ) ) {
			continue;
		}
		return $revision->post_title === $row->post_title
			&& $revision->post_content === $row->post_content
			&& $revision->post_excerpt === $row->post_excerpt;
	}
	return false;
}

/**
 * What the bridge checks before writing a post, for someone who may edit it (null for anyone
 * else). The status and text are read from the database when the answer is made, so the
 * answer to a write shows what every hook of that save left (a plugin may change the status
 * on rest_after_insert_post, after the post in the answer was read).
 */
function wp_seo_bridge_post_state( $post_id ) {
	global $wpdb;
	$post_id = (int) $post_id;
	if ( $post_id <= 0 || ! current_user_can( 'edit_post', $post_id ) ) {
		return null;
	}
	$row = $wpdb->get_row(
		$wpdb->prepare( "SELECT post_status, post_title, post_content, post_excerpt FROM {$wpdb->posts} WHERE ID = %d", $post_id )
	);
	if ( ! $row ) {
		return null;
	}
	return array(
		'now'              => time(),
		'edit_lock'        => wp_seo_bridge_edit_lock( $post_id ),
		'revision_current' => wp_seo_bridge_revision_current( $post_id, $row ),
		'status'           => (string) $row->post_status,
	);
}

/** The `wp_seo_bridge` field of the REST posts of the post types this plugin handles. */
function wp_seo_bridge_register_post_state_field() {
	foreach ( wp_seo_bridge_post_types() as $type ) {
		register_rest_field(
			$type,
			'wp_seo_bridge',
			array(
				'get_callback' => function ( $data ) {
					// With `_fields`, the prepared data may lack the ID; the post being prepared is the global one.
					$post_id = isset( $data['id'] ) ? (int) $data['id'] : (int) get_the_ID();
					return wp_seo_bridge_post_state( $post_id );
				},
				'schema'       => array(
					'description' => 'What wp-seo-bridge checks before writing the post (users who may edit it only).',
					'type'        => array( 'object', 'null' ),
					'context'     => array( 'view', 'edit' ),
					'readonly'    => true,
				),
			)
		);
	}
}
add_action( 'rest_api_init', 'wp_seo_bridge_register_post_state_field' );

/** The same field on XML-RPC posts (wp.getPost, wp.getPosts), without nulls, which XML-RPC lacks. */
function wp_seo_bridge_xmlrpc_prepare_post( $data, $post ) {
	if ( ! in_array( $post['post_type'], wp_seo_bridge_post_types(), true ) ) {
		return $data;
	}
	$state = wp_seo_bridge_post_state( $post['ID'] );
	if ( null !== $state ) {
		if ( null === $state['edit_lock'] ) {
			unset( $state['edit_lock'] );
		}
		$data['wp_seo_bridge'] = $state;
	}
	return $data;
}
add_filter( 'xmlrpc_prepare_post', 'wp_seo_bridge_xmlrpc_prepare_post', 10, 2 );

/**
 * Which of `$slugs` another post of `$post_type` (published, scheduled, draft, pending or
 * private) than `$exclude_id` uses.
 */
function wp_seo_bridge_taken_slugs( $post_type, $exclude_id, $slugs ) {
	global $wpdb;
	$slugs = array_slice( array_values( array_unique( array_filter( array_map( 'strval', (array) $slugs ), 'strlen' ) ) ), 0, 100 );
	if ( ! $slugs ) {
		return array();
	}
	$placeholders = implode( ', ', array_fill( 0, count( $slugs ), '%s' ) );
	$taken        = $wpdb->get_col(
		$wpdb->prepare(
			"SELECT DISTINCT post_name FROM {$wpdb->posts} WHERE post_type = %s AND ID <> %d "
			. "AND post_status IN ('publish', 'future', 'draft', 'pending', 'private') AND post_name IN ($placeholders)",
			array_merge( array( (string) $post_type, (int) $exclude_id ), $slugs )
		)
	);
	return array_values( array_intersect( $slugs, array_map( 'strval', $taken ) ) );
}

/*
 * Notifications: WordPress tells the bridge when a draft is saved, so that `wp-seo-bridge watch
 * --listen` processes it without waiting for the next poll. Off unless wp-config.php defines both
 * WP_SEO_BRIDGE_NOTIFY_URL (the bridge's address, e.g. http://127.0.0.1:8787/notify) and
 * WP_SEO_BRIDGE_NOTIFY_SECRET (shared with the bridge); WP_SEO_BRIDGE_NOTIFY_POST_TYPES
 * (comma-separated, default "post") names the post types.
 *
 * The IDs of the drafts and pending posts saved are collected during the request (once the post,
 * its terms and its meta are saved: `wp_after_insert_post`) and sent at `shutdown`, after the
 * answer has gone to the browser where PHP-FPM or LiteSpeed allow it. Each notification is a
 * JSON body {"site", "post_id", "event", "modified_gmt"} signed with HMAC-SHA256 over
 * "<timestamp>.<body>"; the bridge trusts only the post ID and reads the post again itself.
 * Nothing here can make a save fail or wait more than a few seconds.
 */

/** The notification settings from wp-config.php: url, secret, post_types, enabled. */
function wp_seo_bridge_notify_settings() {
	$url    = defined( 'WP_SEO_BRIDGE_NOTIFY_URL' ) ? trim( (string) WP_SEO_BRIDGE_NOTIFY_URL ) : '';
	$secret = defined( 'WP_SEO_BRIDGE_NOTIFY_SECRET' ) ? trim( (string) WP_SEO_BRIDGE_NOTIFY_SECRET ) : '';  // as the bridge reads it
	$types  = defined( 'WP_SEO_BRIDGE_NOTIFY_POST_TYPES' ) ? (string) WP_SEO_BRIDGE_NOTIFY_POST_TYPES : '';
	$types  = array_values( array_filter( array_map( 'trim', explode( ',', $types ) ), 'strlen' ) );
	return array(
		'url'        => $url,
		'secret'     => $secret,
		'post_types' => $types ? $types : array( 'post' ),
		'enabled'    => '' !== $url && '' !== $secret,
	);
}

/**
 * What the status report tells about notifications (any user who may write posts reads it): never the
 * secret, nor a password in the URL, nor its query or fragment (where a proxy's token may be).
 */
function wp_seo_bridge_notify_status() {
	$settings = wp_seo_bridge_notify_settings();
	$url      = (string) preg_replace( '#^([a-z][a-z0-9+.-]*://)[^/@]*@#i', '$1', $settings['url'] );
	return array(
		'enabled'    => $settings['enabled'],
		'url'        => (string) preg_replace( '/[?#].*$/s', '', $url ),
		'post_types' => $settings['post_types'],
	);
}

/** Whether this request is one of the bridge's own (its HTTP client sends `X-WP-SEO-Bridge` on every request). */
function wp_seo_bridge_is_own_request() {
	return isset( $_SERVER['HTTP_X_WP_SEO_BRIDGE'] ) && '' !== $_SERVER['HTTP_X_WP_SEO_BRIDGE'];
}

/** The posts to notify at the end of this request (`$post_id` adds one, once). */
function wp_seo_bridge_notify_queue( $post_id = 0 ) {
	static $queue = array();
	if ( $post_id > 0 ) {
		$queue[ (int) $post_id ] = true;
	}
	return array_keys( $queue );
}

/** Whether a saved post is one to notify: a draft or pending post of a configured type, not an autosave or revision. */
function wp_seo_bridge_notify_wanted( $post, $settings ) {
	return $post instanceof WP_Post
		&& in_array( $post->post_status, array( 'draft', 'pending' ), true )
		&& in_array( $post->post_type, $settings['post_types'], true )
		&& ! wp_is_post_revision( $post )
		&& ! wp_is_post_autosave( $post );
}

/** On `wp_after_insert_post`: remember the post if it is one to notify. */
function wp_seo_bridge_notify_collect( $post_id, $post, $update, $post_before ) {
	$settings = wp_seo_bridge_notify_settings();
	if ( ! $settings['enabled'] || wp_seo_bridge_is_own_request() || ( defined( 'DOING_AUTOSAVE' ) && DOING_AUTOSAVE ) ) {
		return;
	}
	if ( wp_seo_bridge_notify_wanted( $post, $settings ) ) {
		wp_seo_bridge_notify_queue( $post_id );
	}
}
add_action( 'wp_after_insert_post', 'wp_seo_bridge_notify_collect', 10, 4 );

/**
 * Sends one notification; true when the bridge accepted it (2xx), false otherwise, null when
 * the post is no longer one to notify (deleted, or published later in the same request).
 */
function wp_seo_bridge_notify_send( $post_id, $settings ) {
	$post = get_post( $post_id );
	if ( ! wp_seo_bridge_notify_wanted( $post, $settings ) ) {
		return null;
	}
	// A new draft has no GMT modification time yet; REST shims it from the local one, and so does this.
	$modified_gmt = $post->post_modified_gmt;
	if ( '0000-00-00 00:00:00' === $modified_gmt ) {
		$modified_gmt = gmdate( 'Y-m-d H:i:s', strtotime( $post->post_modified ) - (int) ( (float) get_option( 'gmt_offset' ) * 3600 ) );
	}
	$body      = wp_json_encode(
		array(
			'site'         => home_url(),
			'post_id'      => (int) $post->ID,
			'event'        => 'saved',
			'modified_gmt' => mysql_to_rfc3339( $modified_gmt ),
		),
		JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE
	);
	$timestamp = (string) time();
	$response  = wp_remote_post(
		$settings['url'],
		array(
			'timeout'     => 3, // seconds: a bridge that does not answer by then is not waited for.
			'blocking'    => true,
			'redirection' => 0,
			'headers'     => array(
				'Content-Type'              => 'application/json',
				'X-WP-SEO-Bridge-Timestamp' => $timestamp,
				'X-WP-SEO-Bridge-Signature' => 'sha256=' . hash_hmac( 'sha256', $timestamp . '.' . $body, $settings['secret'] ),
			),
			'body'        => $body,
		)
	);
	if ( is_wp_error( $response ) ) {
		return false;
	}
	$code = (int) wp_remote_retrieve_response_code( $response );
	if ( $code < 200 || $code >= 300 ) {
		return false;
	}
	update_post_meta( $post->ID, '_wp_seo_bridge_notified', time() );
	return true;
}

/**
 * At `shutdown`: the answer is finished first where the server allows it, then one notification
 * per post. A bridge that refuses or does not answer, or 5 s spent, stops the rest (the bridge's next poll
 * finds them); every error is swallowed: the save is done and stays done.
 */
function wp_seo_bridge_notify_flush() {
	$ids = wp_seo_bridge_notify_queue();
	if ( ! $ids ) {
		return;
	}
	$settings = wp_seo_bridge_notify_settings();
	if ( ! $settings['enabled'] ) {
		return;
	}
	ignore_user_abort( true );
	if ( function_exists( 'fastcgi_finish_request' ) ) {
		fastcgi_finish_request();
	} elseif ( function_exists( 'litespeed_finish_request' ) ) {
		litespeed_finish_request();
	}
	$started = microtime( true );
	foreach ( $ids as $post_id ) {
		if ( microtime( true ) - $started > 5 ) {
			break;
		}
		try {
			if ( false === wp_seo_bridge_notify_send( $post_id, $settings ) ) {
				break;
			}
		} catch ( Exception $e ) {
			break;
		} catch ( Throwable $e ) {
			break;
		}
	}
}
add_action( 'shutdown', 'wp_seo_bridge_notify_flush', 100 );

/** What the bridge's `doctor` reads: version, detected SEO plugin, registered and skipped keys. */
function wp_seo_bridge_status_data() {
	$report = $GLOBALS['wp_seo_bridge_report'];
	return array(
		'version'    => WP_SEO_BRIDGE_COMPANION_VERSION,
		'seo_plugin' => wp_seo_bridge_active_seo_plugin(),
		'registered' => (object) $report['registered'],
		'skipped'    => (object) $report['skipped'],
		'notify'     => wp_seo_bridge_notify_status(),
	);
}

add_action(
	'rest_api_init',
	function () {
		register_rest_route(
			'wp-seo-bridge/v1',
			'/status',
			array(
				'methods'             => 'GET',
				'callback'            => 'wp_seo_bridge_status_data',
				'permission_callback' => function () {
					return current_user_can( 'edit_posts' );
				},
			)
		);
	}
);

/**
 * Writes only the bridge's record on a draft or pending post: no other field, no revision, no
 * change to the post's dates (a save through the posts endpoint would refresh them).
 */
function wp_seo_bridge_set_record( $post_id, $record ) {
	$post = get_post( $post_id );
	if ( ! $post ) {
		return new WP_Error( 'rest_post_invalid_id', 'Invalid post ID.', array( 'status' => 404 ) );
	}
	if ( ! current_user_can( 'edit_post', $post->ID ) ) {
		return new WP_Error( 'rest_cannot_edit', 'Sorry, you are not allowed to edit this post.', array( 'status' => rest_authorization_required_code() ) );
	}
	if ( ! in_array( $post->post_status, array( 'draft', 'pending' ), true ) ) {
		return new WP_Error( 'wp_seo_bridge_not_draft', 'The post is no longer a draft or pending.', array( 'status' => 409 ) );
	}
	update_post_meta( $post->ID, '_wp_seo_bridge_record', wp_slash( (string) $record ) );
	return array(
		'id'     => $post->ID,
		'record' => get_post_meta( $post->ID, '_wp_seo_bridge_record', true ),
	);
}

add_action(
	'rest_api_init',
	function () {
		register_rest_route(
			'wp-seo-bridge/v1',
			'/record/(?P<id>\d+)',
			array(
				'methods'             => 'POST',
				'callback'            => function ( $request ) {
					return wp_seo_bridge_set_record( (int) $request['id'], $request['record'] );
				},
				'permission_callback' => function ( $request ) {
					return current_user_can( 'edit_post', (int) $request['id'] );
				},
				'args'                => array(
					'record' => array(
						'type'     => 'string',
						'required' => true,
					),
				),
			)
		);
	}
);

/** wpSeoBridge.setRecord(blog_id, username, password, post_id, record): the same over XML-RPC. */
function wp_seo_bridge_xmlrpc_set_record( $args ) {
	global $wp_xmlrpc_server;
	$wp_xmlrpc_server->escape( $args );
	$user = $wp_xmlrpc_server->login( $args[1], $args[2] );
	if ( ! $user ) {
		return $wp_xmlrpc_server->error;
	}
	$result = wp_seo_bridge_set_record( (int) $args[3], wp_unslash( $args[4] ) );
	if ( is_wp_error( $result ) ) {
		$status = $result->get_error_data();
		$code   = is_array( $status ) && isset( $status['status'] ) ? (int) $status['status'] : 500;
		return new IXR_Error( 404 === $code ? 404 : ( 409 === $code ? 409 : 401 ), $result->get_error_message() );
	}
	return $result;
}

/**
 * wpSeoBridge.takenSlugs(blog_id, username, password, post_type, post_id, slugs): which of the
 * slugs other posts of that type use, for someone who may edit that post.
 */
function wp_seo_bridge_xmlrpc_taken_slugs( $args ) {
	global $wp_xmlrpc_server;
	$wp_xmlrpc_server->escape( $args );
	$user = $wp_xmlrpc_server->login( $args[1], $args[2] );
	if ( ! $user ) {
		return $wp_xmlrpc_server->error;
	}
	$post_type = (string) wp_unslash( $args[3] );
	$post_id   = (int) $args[4];
	if ( ! post_type_exists( $post_type ) ) {
		return new IXR_Error( 403, 'Invalid post type.' );
	}
	if ( ! current_user_can( 'edit_post', $post_id ) ) {
		return new IXR_Error( 401, 'Sorry, you are not allowed to edit this post.' );
	}
	return wp_seo_bridge_taken_slugs( $post_type, $post_id, wp_unslash( (array) $args[5] ) );
}

/** The same report over XML-RPC: wpSeoBridge.getStatus(blog_id, username, password). */
function wp_seo_bridge_xmlrpc_status( $args ) {
	global $wp_xmlrpc_server;
	$wp_xmlrpc_server->escape( $args );
	$user = $wp_xmlrpc_server->login( $args[1], $args[2] );
	if ( ! $user ) {
		return $wp_xmlrpc_server->error;
	}
	if ( ! current_user_can( 'edit_posts' ) ) {
		return new IXR_Error( 401, 'Sorry, you are not allowed to edit posts.' );
	}
	$data               = wp_seo_bridge_status_data();
	$data['seo_plugin'] = (string) $data['seo_plugin'];
	$data['registered'] = (array) $data['registered'];
	$data['skipped']    = (array) $data['skipped'];
	return $data;
}

add_filter(
	'xmlrpc_methods',
	function ( $methods ) {
		$methods['wpSeoBridge.getStatus'] = 'wp_seo_bridge_xmlrpc_status';
		$methods['wpSeoBridge.setRecord'] = 'wp_seo_bridge_xmlrpc_set_record';
		$methods['wpSeoBridge.takenSlugs'] = 'wp_seo_bridge_xmlrpc_taken_slugs';
		return $methods;
	}
);

/*
 * ---------------------------------------------------------------------------------------------
 * Editors' view (1.3.0): what the bridge did to a post, shown to those who may edit it, and their
 * request to the bridge. The record (`_wp_seo_bridge_record`) is data written over the APIs by
 * anyone who may edit the post: it is read defensively and everything of it is printed escaped.
 * ---------------------------------------------------------------------------------------------
 */

/** The bridge's record on a post, as an array (empty when there is none or it is not JSON). */
function wp_seo_bridge_record_of( $post_id ) {
	$raw = get_post_meta( $post_id, '_wp_seo_bridge_record', true );
	if ( ! is_string( $raw ) || '' === $raw ) {
		return array();
	}
	$data = json_decode( $raw, true );
	return is_array( $data ) && isset( $data['status'] ) && is_string( $data['status'] ) ? $data : array();
}

/** A string field of the record ("" when absent or not a string). */
function wp_seo_bridge_record_text( $record, $name ) {
	return isset( $record[ $name ] ) && is_string( $record[ $name ] ) ? $record[ $name ] : '';
}

/** The record's state: rewritten, needs_attention, failed, restored, or "" (no record / unknown). */
function wp_seo_bridge_record_state( $record ) {
	if ( ! $record ) {
		return '';
	}
	if ( 'restore' === wp_seo_bridge_record_text( $record, 'action' ) ) {
		return 'restored';
	}
	$states = array(
		'done'            => 'rewritten',
		'needs attention' => 'needs_attention',
		'failed'          => 'failed',
	);
	return isset( $states[ $record['status'] ] ) ? $states[ $record['status'] ] : '';
}

/** Keeps `_wp_seo_bridge_state` (for the posts-list view) in step with the record. */
function wp_seo_bridge_sync_state( $meta_id, $post_id, $meta_key ) {
	if ( '_wp_seo_bridge_record' !== $meta_key ) {
		return;
	}
	$state = wp_seo_bridge_record_state( wp_seo_bridge_record_of( $post_id ) );
	if ( '' === $state ) {
		delete_post_meta( $post_id, '_wp_seo_bridge_state' );
	} else {
		update_post_meta( $post_id, '_wp_seo_bridge_state', $state );
	}
}
add_action( 'added_post_meta', 'wp_seo_bridge_sync_state', 10, 3 );
add_action( 'updated_post_meta', 'wp_seo_bridge_sync_state', 10, 3 );
add_action( 'deleted_post_meta', 'wp_seo_bridge_sync_state', 10, 3 );

/**
 * Once per plugin version, gives `_wp_seo_bridge_state` to the posts whose record was written before
 * this plugin kept it (or bypassing the meta functions), so that the "Needs attention" view lists them.
 */
function wp_seo_bridge_backfill_states() {
	if ( WP_SEO_BRIDGE_COMPANION_VERSION === get_option( 'wp_seo_bridge_states' ) ) {
		return;
	}
	global $wpdb;
	$ids = $wpdb->get_col( $wpdb->prepare( "SELECT DISTINCT post_id FROM {$wpdb->postmeta} WHERE meta_key = %s", '_wp_seo_bridge_record' ) );
	foreach ( $ids as $post_id ) {
		wp_seo_bridge_sync_state( 0, (int) $post_id, '_wp_seo_bridge_record' );
	}
	update_option( 'wp_seo_bridge_states', WP_SEO_BRIDGE_COMPANION_VERSION, false );
}
add_action( 'admin_init', 'wp_seo_bridge_backfill_states' );

/** The record's time (`at`) as a Unix time, or 0. */
function wp_seo_bridge_record_time( $record ) {
	$time = strtotime( wp_seo_bridge_record_text( $record, 'at' ) );
	return $time ? (int) $time : 0;
}

/** The editors' request: array( kind, time ), kind "" (site default), "rewrite", "skip" or "again". */
function wp_seo_bridge_request_of( $post_id ) {
	$raw = trim( (string) get_post_meta( $post_id, '_wp_seo_bridge_request', true ) );
	if ( 'rewrite' === $raw || 'skip' === $raw ) {
		return array( $raw, 0, $raw );
	}
	if ( preg_match( '/^again:([0-9]{1,12})$/', $raw, $match ) && (int) $match[1] > 0 && (int) $match[1] < 253402300800 ) {
		return array( 'again', (int) $match[1], $raw );
	}
	return array( '', 0, '' );
}

/**
 * Whether a "Rewrite again" still waits for the bridge, as the bridge decides it: a record that
 * names the request it saw settles the request it names; an older record settles requests made
 * before it.
 */
function wp_seo_bridge_again_pending( $request, $record ) {
	if ( 'again' !== $request[0] ) {
		return false;
	}
	if ( ! $record ) {
		return true;
	}
	if ( array_key_exists( 'request', $record ) && is_string( $record['request'] ) ) {
		return $record['request'] !== $request[2];
	}
	$at = wp_seo_bridge_record_time( $record );
	return ! $at || $request[1] > $at;
}

/** What the box and the column say: rewritten, needs_attention, failed, restored, queued or never. */
function wp_seo_bridge_view_state( $post_id, $record, $request ) {
	if ( 'skip' !== $request[0] ) {
		$notified = (int) get_post_meta( $post_id, '_wp_seo_bridge_notified', true );
		$at       = wp_seo_bridge_record_time( $record );
		if ( ( $notified > 0 && ( ! $record || $notified > $at ) )
			|| ( 'rewrite' === $request[0] && ! $record )
			|| wp_seo_bridge_again_pending( $request, $record ) ) {
			return 'queued';
		}
	}
	$state = wp_seo_bridge_record_state( $record );
	return '' === $state ? 'never' : $state;
}

/** The words an editor reads for each state. */
function wp_seo_bridge_state_label( $state ) {
	$labels = array(
		'rewritten'       => 'Rewritten',
		'needs_attention' => 'Needs attention',
		'failed'          => 'Failed',
		'restored'        => 'Restored',
		'queued'          => 'Queued',
		'never'           => 'Not processed yet',
	);
	return isset( $labels[ $state ] ) ? $labels[ $state ] : 'Unknown';
}

/** One Yoast-style light: a coloured dot and its word. Anything but good/ok/bad prints as "unknown". */
function wp_seo_bridge_light( $rating ) {
	$colours = array(
		'good' => array( '#7ad03a', 'good' ),
		'ok'   => array( '#ee7c1b', 'OK' ),
		'bad'  => array( '#dc3232', 'needs improvement' ),
	);
	$rating = is_string( $rating ) && isset( $colours[ $rating ] ) ? $rating : '';
	if ( '' === $rating ) {
		return '<span class="wp-seo-bridge-light">&mdash;</span>';
	}
	return '<span class="wp-seo-bridge-light wp-seo-bridge-light-' . esc_attr( $rating ) . '">'
		. '<span aria-hidden="true" style="display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:.3em;background:'
		. esc_attr( $colours[ $rating ][0] ) . '"></span>' . esc_html( $colours[ $rating ][1] ) . '</span>';
}

/** The newest revision (autosaves aside) whose title, content and excerpt hash to `$hash`, or 0. */
function wp_seo_bridge_revision_with_hash( $post_id, $hash ) {
	if ( ! is_string( $hash ) || 0 !== strpos( $hash, 'sha256:' ) ) {
		return 0;
	}
	$revisions = wp_get_post_revisions(
		$post_id,
		array(
			'orderby' => 'date ID',
			'order'   => 'DESC',
		)
	);
	foreach ( $revisions as $revision ) {
		if ( wp_is_post_autosave( $revision ) ) {
			continue;
		}
		$text = $revision->post_title . "\0" . $revision->post_content . "\0" . $revision->post_excerpt;
		if ( hash_equals( $hash, 'sha256:' . hash( 'sha256', $text ) ) ) {
			return (int) $revision->ID;
		}
	}
	return 0;
}

/** The revisions screen comparing the original with the rewrite, or "" when either is not found. */
function wp_seo_bridge_compare_url( $post_id, $record ) {
	if ( 'rewritten' !== wp_seo_bridge_record_state( $record ) ) {
		return '';
	}
	$from = wp_seo_bridge_revision_with_hash( $post_id, wp_seo_bridge_record_text( $record, 'source_hash' ) );
	$to   = wp_seo_bridge_revision_with_hash( $post_id, wp_seo_bridge_record_text( $record, 'written_hash' ) );
	if ( ! $from || ! $to || $from === $to ) {
		return '';
	}
	return add_query_arg(
		array(
			'from' => $from,
			'to'   => $to,
		),
		admin_url( 'revision.php' )
	);
}

/** The plain strings of a list field of the record (at most 30). */
function wp_seo_bridge_record_list( $record, $name ) {
	if ( ! isset( $record[ $name ] ) || ! is_array( $record[ $name ] ) ) {
		return array();
	}
	return array_slice( array_values( array_filter( $record[ $name ], 'is_string' ) ), 0, 30 );
}

/** Adds the box to the edit screen of the handled post types, for users who may edit the post. */
function wp_seo_bridge_add_box( $post_type, $post ) {
	if ( ! in_array( $post_type, wp_seo_bridge_post_types(), true ) || ! ( $post instanceof WP_Post )
		|| ! current_user_can( 'edit_post', $post->ID ) ) {
		return;
	}
	add_meta_box( 'wp-seo-bridge', 'wp-seo-bridge', 'wp_seo_bridge_render_box', $post_type, 'side', 'default' );
}
add_action( 'add_meta_boxes', 'wp_seo_bridge_add_box', 10, 2 );

/** The box: what the bridge did, when, with which model, its effect, and the editors' control. */
function wp_seo_bridge_render_box( $post ) {
	if ( ! current_user_can( 'edit_post', $post->ID ) ) {
		return;
	}
	$record  = wp_seo_bridge_record_of( $post->ID );
	$request = wp_seo_bridge_request_of( $post->ID );
	$state   = wp_seo_bridge_view_state( $post->ID, $record, $request );
	echo '<div class="wp-seo-bridge-box" data-state="' . esc_attr( $state ) . '">';
	echo '<p class="wp-seo-bridge-state"><strong>' . esc_html( wp_seo_bridge_state_label( $state ) ) . '</strong>';
	if ( 'queued' === $state ) {
		echo '<br>' . esc_html( 'The bridge will take it once the draft has been left alone for a few minutes.' );
	}
	echo '</p>';
	if ( $record ) {
		$at    = wp_seo_bridge_record_time( $record );
		$model = wp_seo_bridge_record_text( $record, 'model' );
		$done  = wp_seo_bridge_state_label( wp_seo_bridge_record_state( $record ) );
		echo '<p class="wp-seo-bridge-when">' . esc_html( 'queued' === $state ? 'Last time: ' . $done : $done );
		if ( $at ) {
			echo ' ' . esc_html( 'on ' . wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), $at ) );
		}
		if ( '' !== $model ) {
			echo ' ' . esc_html( 'with ' ) . '<code class="wp-seo-bridge-model">' . esc_html( $model ) . '</code>';
		}
		echo '</p>';
		wp_seo_bridge_render_effect( $record );
		$reasons = wp_seo_bridge_record_list( $record, 'reasons' );
		if ( $reasons && in_array( wp_seo_bridge_record_state( $record ), array( 'needs_attention', 'failed' ), true ) ) {
			echo '<p>' . esc_html( 'Why it was not rewritten:' ) . '</p><ul class="wp-seo-bridge-reasons" style="list-style:disc;margin-left:1.2em">';
			foreach ( $reasons as $reason ) {
				echo '<li>' . esc_html( $reason ) . '</li>';
			}
			echo '</ul>';
		}
		$removed = wp_seo_bridge_record_list( $record, 'removed' );
		if ( ! $removed && '' !== wp_seo_bridge_record_text( $record, 'removed_from_draft' ) ) {
			$removed = array( wp_seo_bridge_record_text( $record, 'removed_from_draft' ) );
		}
		if ( $removed ) {
			echo '<p>' . esc_html( 'Removed from the draft (it could run in readers\' browsers):' ) . '</p><ul class="wp-seo-bridge-removed" style="list-style:disc;margin-left:1.2em">';
			foreach ( $removed as $item ) {
				echo '<li>' . esc_html( $item ) . '</li>';
			}
			echo '</ul>';
		}
		$compare = wp_seo_bridge_compare_url( $post->ID, $record );
		if ( '' !== $compare ) {
			echo '<p><a class="wp-seo-bridge-compare" href="' . esc_url( $compare ) . '">' . esc_html( 'Compare the original with the rewrite' ) . '</a></p>';
		}
	}
	wp_seo_bridge_render_control( $post, $record, $request );
	echo '</div>';
}

/** Lights and words, before and after (the rewrite the bridge did not write, for a refused one), when the record has them. */
function wp_seo_bridge_render_effect( $record ) {
	$before = isset( $record['before'] ) && is_array( $record['before'] ) ? $record['before'] : array();
	$after  = isset( $record['after'] ) && is_array( $record['after'] ) ? $record['after'] : array();
	$words  = array();
	foreach ( array( 'words_before', 'words_after' ) as $name ) {
		$words[ $name ] = isset( $record[ $name ] ) && is_int( $record[ $name ] ) ? (string) $record[ $name ] : '—';
	}
	if ( ! $before && ! $after && '—' === $words['words_before'] && '—' === $words['words_after'] ) {
		return;
	}
	$rows = array(
		'SEO'         => 'seo',
		'Readability' => 'readability',
	);
	$after_label = 'rewritten' === wp_seo_bridge_record_state( $record ) ? 'After' : 'Refused rewrite';
	// widefat's 10 px side padding makes the table wider than the block editor's 280 px sidebar.
	$th = '<th style="padding:6px 4px"';
	$td = '<td style="padding:6px 4px">';
	echo '<table class="wp-seo-bridge-effect widefat striped" style="margin:.5em 0"><thead><tr>' . $th . '></th>' . $th . '>'
		. esc_html( 'Before' ) . '</th>' . $th . '>' . esc_html( $after_label ) . '</th></tr></thead><tbody>';
	foreach ( $rows as $label => $key ) {
		echo '<tr class="wp-seo-bridge-' . esc_attr( $key ) . '">' . $th . ' scope="row">' . esc_html( $label ) . '</th>' . $td
			. wp_seo_bridge_light( isset( $before[ $key ] ) ? $before[ $key ] : null ) . '</td>' . $td
			. wp_seo_bridge_light( isset( $after[ $key ] ) ? $after[ $key ] : null ) . '</td></tr>';
	}
	echo '<tr class="wp-seo-bridge-words">' . $th . ' scope="row">' . esc_html( 'Words' ) . '</th>' . $td . esc_html( $words['words_before'] )
		. '</td>' . $td . esc_html( $words['words_after'] ) . '</td></tr>';
	echo '</tbody></table>';
}

/** The editors' control: site default, rewrite this draft, do not rewrite, rewrite again (rewritten posts). */
function wp_seo_bridge_render_control( $post, $record, $request ) {
	$choices = array(
		''        => 'Site default',
		'rewrite' => 'Rewrite this draft',
		'skip'    => 'Do not rewrite',
	);
	if ( in_array( wp_seo_bridge_record_state( $record ), array( 'rewritten', 'restored' ), true ) ) {
		$choices['again'] = 'Rewrite again';
	}
	$current = $request[0];
	if ( 'again' === $current && ! wp_seo_bridge_again_pending( $request, $record ) ) {
		$current = '';  // honoured: back to the site's default
	}
	wp_nonce_field( 'wp_seo_bridge_request_' . $post->ID, 'wp_seo_bridge_nonce' );
	echo '<fieldset class="wp-seo-bridge-control"><legend><strong>' . esc_html( 'The bridge, for this post' ) . '</strong></legend>';
	foreach ( $choices as $value => $label ) {
		echo '<label style="display:block"><input type="radio" name="wp_seo_bridge_request" value="' . esc_attr( $value ) . '"'
			. checked( $current, $value, false ) . '> ' . esc_html( $label ) . '</label>';
	}
	echo '<p class="description">' . esc_html( 'Saved with the post.' ) . '</p></fieldset>';
}

/** Saves the editors' choice with the post (the form's nonce and the right to edit it checked; never autosaves). */
function wp_seo_bridge_save_request( $post_id, $post ) {
	if ( ! isset( $_POST['wp_seo_bridge_nonce'], $_POST['wp_seo_bridge_request'] ) ) {
		return;
	}
	if ( ( defined( 'DOING_AUTOSAVE' ) && DOING_AUTOSAVE ) || wp_is_post_revision( $post_id ) || wp_is_post_autosave( $post_id ) ) {
		return;
	}
	// The form's post only (the nonce names it too): never another post saved during the same request.
	if ( ! isset( $_POST['post_ID'] ) || ! is_string( $_POST['post_ID'] ) || (int) $_POST['post_ID'] !== (int) $post_id ) {
		return;
	}
	$nonce = sanitize_text_field( wp_unslash( $_POST['wp_seo_bridge_nonce'] ) );
	if ( ! wp_verify_nonce( $nonce, 'wp_seo_bridge_request_' . $post_id ) || ! current_user_can( 'edit_post', $post_id ) ) {
		return;
	}
	$choice  = sanitize_key( wp_unslash( $_POST['wp_seo_bridge_request'] ) );
	$request = wp_seo_bridge_request_of( $post_id );
	if ( 'again' === $choice ) {
		if ( 'again' === $request[0] && wp_seo_bridge_again_pending( $request, wp_seo_bridge_record_of( $post_id ) ) ) {
			return;  // already asked: the first request stands
		}
		update_post_meta( $post_id, '_wp_seo_bridge_request', 'again:' . time() );
	} elseif ( 'rewrite' === $choice || 'skip' === $choice ) {
		update_post_meta( $post_id, '_wp_seo_bridge_request', $choice );
	} elseif ( '' === $choice ) {
		delete_post_meta( $post_id, '_wp_seo_bridge_request' );
	}
}
add_action( 'save_post', 'wp_seo_bridge_save_request', 10, 2 );

/** The "SEO bridge" column of the posts lists of the handled types, and the "Needs attention" view. */
function wp_seo_bridge_admin_lists() {
	foreach ( wp_seo_bridge_post_types() as $type ) {
		add_filter( "manage_{$type}_posts_columns", 'wp_seo_bridge_add_column' );
		add_action( "manage_{$type}_posts_custom_column", 'wp_seo_bridge_render_column', 10, 2 );
		add_filter( "views_edit-{$type}", 'wp_seo_bridge_add_view' );
	}
}
add_action( 'admin_init', 'wp_seo_bridge_admin_lists' );

function wp_seo_bridge_add_column( $columns ) {
	$columns['wp_seo_bridge'] = 'SEO bridge';
	return $columns;
}

/** The post's state in the list, for users who may edit it only. */
function wp_seo_bridge_render_column( $column, $post_id ) {
	if ( 'wp_seo_bridge' !== $column || ! current_user_can( 'edit_post', $post_id ) ) {
		return;
	}
	$record = wp_seo_bridge_record_of( $post_id );
	$state  = wp_seo_bridge_view_state( $post_id, $record, wp_seo_bridge_request_of( $post_id ) );
	echo '<span class="wp-seo-bridge-column" data-state="' . esc_attr( $state ) . '">' . esc_html( wp_seo_bridge_state_label( $state ) ) . '</span>';
	$after = isset( $record['after'] ) && is_array( $record['after'] ) ? $record['after'] : array();
	if ( 'rewritten' === $state && $after ) {
		// Each light named (SEO, readability); a narrow column wraps between the two, never inside one.
		$lights = array();
		foreach ( array( 'seo' => 'SEO', 'readability' => 'Readability' ) as $key => $label ) {
			$lights[] = '<span class="wp-seo-bridge-column-light wp-seo-bridge-column-' . esc_attr( $key ) . '" style="white-space:nowrap">'
				. esc_html( $label . ':' ) . ' ' . wp_seo_bridge_light( isset( $after[ $key ] ) ? $after[ $key ] : null ) . '</span>';
		}
		echo '<br>' . implode( ' &middot; ', $lights );
	}
}

/** Query arguments that keep a user to the posts they may edit, in the "Needs attention" view and its count. */
function wp_seo_bridge_attention_args( $type ) {
	$args = array(
		'post_type'   => $type,
		'post_status' => array( 'draft', 'pending' ),
		'meta_key'    => '_wp_seo_bridge_state',
		'meta_value'  => 'needs_attention',
	);
	$object = get_post_type_object( $type );
	if ( $object && ! current_user_can( $object->cap->edit_others_posts ) ) {
		$args['author'] = get_current_user_id();
	}
	return $args;
}

/** "Needs attention (N)" beside "All", "Drafts"... */
function wp_seo_bridge_add_view( $views ) {
	$type  = isset( $_GET['post_type'] ) ? sanitize_key( wp_unslash( $_GET['post_type'] ) ) : 'post';
	$query = new WP_Query(
		wp_seo_bridge_attention_args( $type ) + array(
			'fields'         => 'ids',
			'posts_per_page' => 1,
			'no_found_rows'  => false,
		)
	);
	$count   = (int) $query->found_posts;
	$current = isset( $_GET['wp_seo_bridge_state'] ) && 'needs_attention' === $_GET['wp_seo_bridge_state'];
	$url     = add_query_arg(
		array(
			'post_type'           => $type,
			'wp_seo_bridge_state' => 'needs_attention',
		),
		admin_url( 'edit.php' )
	);
	$views['wp_seo_bridge_attention'] = '<a href="' . esc_url( $url ) . '"' . ( $current ? ' class="current" aria-current="page"' : '' ) . '>'
		. esc_html( 'Needs attention' ) . ' <span class="count">(' . esc_html( number_format_i18n( $count ) ) . ')</span></a>';
	return $views;
}

/** The "Needs attention" view: the posts list filtered on the state the record gave. */
function wp_seo_bridge_filter_list( $query ) {
	if ( ! is_admin() || ! $query->is_main_query() || ! isset( $_GET['wp_seo_bridge_state'] )
		|| 'needs_attention' !== $_GET['wp_seo_bridge_state'] ) {
		return;
	}
	global $pagenow;
	if ( 'edit.php' !== $pagenow ) {
		return;
	}
	$type = $query->get( 'post_type' ) ? $query->get( 'post_type' ) : 'post';
	if ( ! is_string( $type ) || ! in_array( $type, wp_seo_bridge_post_types(), true ) ) {
		return;
	}
	foreach ( wp_seo_bridge_attention_args( $type ) as $key => $value ) {
		$query->set( $key, $value );
	}
}
add_action( 'pre_get_posts', 'wp_seo_bridge_filter_list' );

/*
 * Leaving the block editor after a save, and the bridge told of it.
 *
 * With a meta box on the screen (the box above), each save in the block editor also posts the
 * boxes' form to post.php, whose edit_post() renews the edit lock without the page knowing; when
 * the editor then leaves, the page asks WordPress to release the lock it knew, WordPress finds
 * another one and keeps the post locked for 150 s, so the bridge would leave it alone that long.
 * The form's request keeps the lock as the page knows it (the page's heartbeat renews it anyway).
 * And a post the bridge was told of while open in the editor (it said "open in the editor, taken
 * once it is closed") is notified again when the editor leaves it, so that it is taken then.
 */

/**
 * On the block editor's meta-box form request, and on the edit screen it is redirected to (which the
 * editor's fetch loads and throws away): the lock is left as the page knows it.
 */
function wp_seo_bridge_keep_page_lock( $check, $post_id, $meta_key ) {
	if ( '_edit_lock' === $meta_key && wp_seo_bridge_is_boxes_save( (int) $post_id ) ) {
		return true;
	}
	return $check;
}
add_filter( 'update_post_metadata', 'wp_seo_bridge_keep_page_lock', 10, 3 );

/**
 * Whether this request is the block editor's meta-box save of `$post_id` (a POST to post.php with
 * `meta-box-loader` and the post's update nonce) or the edit screen it is redirected to (marked with
 * a nonce of this user for this post), made by the user who holds the post's lock now. Nothing else
 * may leave the lock alone: a crafted address cannot hide that a post is open in an editor, nor keep
 * a lock that has expired or is someone else's (WordPress then sets it as usual).
 */
function wp_seo_bridge_is_boxes_save( $post_id ) {
	$user_id = get_current_user_id();
	if ( $post_id <= 0 || ! $user_id ) {
		return false;
	}
	if ( isset( $_GET['meta-box-loader'] ) ) {
		$method = isset( $_SERVER['REQUEST_METHOD'] ) ? strtoupper( (string) $_SERVER['REQUEST_METHOD'] ) : '';
		$nonce  = isset( $_POST['_wpnonce'] ) && is_string( $_POST['_wpnonce'] ) ? sanitize_text_field( wp_unslash( $_POST['_wpnonce'] ) ) : '';
		$posted = isset( $_POST['post_ID'] ) && is_string( $_POST['post_ID'] ) ? (int) $_POST['post_ID'] : 0;
		if ( 'POST' !== $method || $posted !== $post_id || ! wp_verify_nonce( $nonce, 'update-post_' . $post_id ) ) {
			return false;
		}
	} elseif ( isset( $_GET['wp-seo-bridge-boxes-saved'] ) && is_string( $_GET['wp-seo-bridge-boxes-saved'] ) ) {
		$nonce = sanitize_text_field( wp_unslash( $_GET['wp-seo-bridge-boxes-saved'] ) );
		if ( ! wp_verify_nonce( $nonce, 'wp-seo-bridge-boxes-saved_' . $post_id ) ) {
			return false;
		}
	} else {
		return false;
	}
	$lock = explode( ':', (string) get_post_meta( $post_id, '_edit_lock', true ) );
	$time = (int) $lock[0];
	$user = isset( $lock[1] ) ? (int) $lock[1] : 0;
	/** This filter is documented in wp-admin/includes/post.php */
	$window = apply_filters( 'wp_check_post_lock_window', 150 );
	return $user === $user_id && $time > time() - $window;
}

/** Marks the redirect that follows the meta-box form's save (with a nonce: see wp_seo_bridge_is_boxes_save()). */
function wp_seo_bridge_mark_boxes_saved( $location, $post_id = 0 ) {
	if ( ! isset( $_GET['meta-box-loader'] ) || (int) $post_id <= 0 ) {
		return $location;
	}
	return add_query_arg( 'wp-seo-bridge-boxes-saved', wp_create_nonce( 'wp-seo-bridge-boxes-saved_' . (int) $post_id ), $location );
}
add_filter( 'redirect_post_location', 'wp_seo_bridge_mark_boxes_saved', 10, 2 );

/** When an editor leaves a post the bridge was told of and has not handled yet, the bridge is told again. */
function wp_seo_bridge_notify_on_release() {
	$post_id  = isset( $_POST['post_ID'] ) ? (int) $_POST['post_ID'] : 0;
	$nonce    = isset( $_POST['_wpnonce'] ) ? sanitize_text_field( wp_unslash( $_POST['_wpnonce'] ) ) : '';
	$settings = wp_seo_bridge_notify_settings();
	if ( ! $settings['enabled'] || $post_id <= 0 || ! wp_verify_nonce( $nonce, 'update-post_' . $post_id )
		|| ! current_user_can( 'edit_post', $post_id ) || ! wp_seo_bridge_notify_wanted( get_post( $post_id ), $settings ) ) {
		return;
	}
	$notified = (int) get_post_meta( $post_id, '_wp_seo_bridge_notified', true );
	if ( $notified > 0 && $notified > wp_seo_bridge_record_time( wp_seo_bridge_record_of( $post_id ) ) ) {
		wp_seo_bridge_notify_queue( $post_id );  // sent at shutdown, once WordPress has released the lock
	}
}
add_action( 'wp_ajax_wp-remove-post-lock', 'wp_seo_bridge_notify_on_release', 0 );
