<?php
/**
 * Plugin Name: wp-seo-bridge companion
 * Description: Lets wp-seo-bridge read and write SEO plugin fields (Yoast SEO, Rank Math, SEOPress, The SEO Framework) over the REST API and XML-RPC. Install as a must-use plugin: wp-content/mu-plugins/wp-seo-bridge-companion.php.
 * Version: 1.2.0
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
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'WP_SEO_BRIDGE_COMPANION_VERSION', '1.2.0' );

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
	);
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
			register_post_meta(
				$type,
				$key,
				array(
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
				)
			);
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
	$secret = defined( 'WP_SEO_BRIDGE_NOTIFY_SECRET' ) ? (string) WP_SEO_BRIDGE_NOTIFY_SECRET : '';
	$types  = defined( 'WP_SEO_BRIDGE_NOTIFY_POST_TYPES' ) ? (string) WP_SEO_BRIDGE_NOTIFY_POST_TYPES : '';
	$types  = array_values( array_filter( array_map( 'trim', explode( ',', $types ) ), 'strlen' ) );
	return array(
		'url'        => $url,
		'secret'     => $secret,
		'post_types' => $types ? $types : array( 'post' ),
		'enabled'    => '' !== $url && '' !== $secret,
	);
}

/** What the status report tells about notifications: never the secret, nor a password in the URL. */
function wp_seo_bridge_notify_status() {
	$settings = wp_seo_bridge_notify_settings();
	return array(
		'enabled'    => $settings['enabled'],
		'url'        => (string) preg_replace( '#^([a-z][a-z0-9+.-]*://)[^/@]*@#i', '$1', $settings['url'] ),
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
